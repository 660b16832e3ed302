// The operations console (issue 13): plain JavaScript, no build step, nothing fetched from elsewhere.
// EventSource cannot send an Authorization header, so the live stream (GET /cluster/events) is read with fetch()
// and a stream reader, and its "event:"/"data:" lines are parsed here. The token lives in sessionStorage only:
// it is gone when the tab closes, and it never goes into a URL.

const TOKEN_KEY = "jdo.console.token";
const RATE_POINTS = 60;
const RECONNECT_MS = 3000;
const SVG = "http://www.w3.org/2000/svg";

const $ = (id) => document.getElementById(id);
const state = { token: null, stream: null, alerts: new Map(), suspensions: new Map(), suspensionsKnown: null, rates: [] };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? "")));
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const time = (iso) => (iso ? new Date(iso).toLocaleString() : "—");

function status(text) { $("connection").textContent = text; }

function showError(text) {
  const e = $("error");
  e.textContent = text;
  e.hidden = !text;
}

class Refused extends Error {
  constructor(status, detail) {
    super(status === 401
      ? `The token was refused (401): it is missing, malformed, expired or not signed with this platform's key. ${detail}`
      : `The token is not allowed here (403): the console needs the role authority, maintainer or regulator. ${detail}`);
    this.status = status;
  }
}

async function problemDetail(response) {
  try { const p = await response.json(); return p.detail || p.title || ""; } catch { return ""; }
}

async function get(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${state.token}`, Accept: "application/json" }, cache: "no-store" });
  if (response.status === 401 || response.status === 403) throw new Refused(response.status, await problemDetail(response));
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await problemDetail(response)}`);
  return response.json();
}

// ---- members ----

function renderMembers(view) {
  const body = $("members").tBodies[0];
  body.replaceChildren(...view.members.map((m) => {
    const marks = el("td");
    if (m.leader) marks.append(el("span", { class: "mark" }, "leader"));
    if (m.oldest) marks.append(el("span", { class: "mark" }, "oldest"));
    if (m.self) marks.append(el("span", { class: "mark" }, "answering"));
    return el("tr", { "data-address": m.address },
      el("td", {}, m.address), el("td", {}, m.roles.join(", ")), el("td", {}, m.status),
      el("td", m.reachable ? {} : { class: "no" }, m.reachable ? "yes" : "no"), el("td", {}, time(m.upSince)), marks);
  }));
  $("members-caption").textContent = `${view.members.length} member(s), as ${view.answeredBy} sees them at ${time(view.at)}.`;
}

async function refreshMembers() { renderMembers(await get("/cluster/members")); }

// ---- shards ----

function renderShards(view) {
  const rows = [];
  for (const r of view.regions) {
    if (!r.answered) { rows.push({ region: r.region, role: r.role, node: "—", shards: null, entities: null, note: r.problem || "did not answer" }); continue; }
    if (r.nodes.length === 0) rows.push({ region: r.region, role: r.role, node: "—", shards: 0, entities: 0, note: "no shards yet" });
    for (const n of r.nodes)
      rows.push({ region: r.region, role: r.role, node: n.address, shards: n.shards, entities: n.entities, note: n.failed.length ? `${n.failed.length} shard(s) did not report` : "" });
  }
  $("shards").tBodies[0].replaceChildren(...rows.map((x) => el("tr", { "data-region": x.region },
    el("td", {}, x.region), el("td", {}, x.role), el("td", {}, x.node),
    el("td", { class: "num" }, x.shards ?? "—"), el("td", { class: "num" }, x.entities ?? "—"), el("td", {}, x.note))));
  $("shards-caption").textContent = `${view.complete ? "Complete" : "Partial (some regions did not answer)"}, as ${view.answeredBy} sees it at ${time(view.at)}.`;
  drawShardChart(rows.filter((x) => x.shards !== null && x.node !== "—"));
}

// One horizontal bar per region and node: the length is the node's shards of that region.
function drawShardChart(rows) {
  const width = 640, label = 250, rowHeight = 22, top = 8;
  const height = top * 2 + Math.max(1, rows.length) * rowHeight;
  const max = Math.max(1, ...rows.map((x) => x.shards));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Shards per region and node: ${rows.map((x) => `${x.region} on ${x.node}: ${x.shards} shards, ${x.entities} entities`).join("; ") || "none"}` });
  if (rows.length === 0) chart.append(svg("text", { x: 8, y: top + 15, class: "muted" }, "No shards hosted yet."));
  rows.forEach((x, i) => {
    const y = top + i * rowHeight;
    const node = x.node.replace(/^akka\.tcp:\/\/[^@]*@/, "");
    chart.append(svg("text", { x: 4, y: y + 15 }, `${x.region} · ${node}`));
    const w = Math.max(2, ((width - label - 120) * x.shards) / max);
    chart.append(svg("rect", { x: label, y: y + 4, width: w, height: rowHeight - 8, class: "bar", "data-region": x.region, "data-shards": x.shards }));
    chart.append(svg("text", { x: label + w + 6, y: y + 15 }, `${plural(x.shards, "shard", "shards")}, ${plural(x.entities, "entity", "entities")}`));
  });
  $("shard-chart").replaceChildren(chart);
}

async function refreshShards() { renderShards(await get("/cluster/shards")); }

// ---- commands per second ----

function addSummary(summary) {
  state.rates.push({ at: summary.at, value: summary.commandsPerSecond });
  if (state.rates.length > RATE_POINTS) state.rates.splice(0, state.rates.length - RATE_POINTS);
  drawRateChart(summary);
}

function drawRateChart(last) {
  const width = 640, height = 200, left = 48, right = 12, top = 12, bottom = 28;
  const points = state.rates;
  const max = Math.max(1, ...points.map((p) => p.value));
  const x = (i) => left + ((width - left - right) * i) / Math.max(1, RATE_POINTS - 1);
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": `Commands per second, ${points.length} summaries; latest ${last ? last.commandsPerSecond.toFixed(2) : "none"}, highest ${max.toFixed(2)}` });
  chart.append(svg("line", { x1: left, y1: top, x2: left, y2: height - bottom, class: "axis" }));
  chart.append(svg("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: "axis" }));
  chart.append(svg("text", { x: 4, y: top + 10 }, max.toFixed(1)));
  chart.append(svg("text", { x: 4, y: height - bottom }, "0"));
  chart.append(svg("text", { x: left, y: height - 8, class: "muted" }, `last ${RATE_POINTS} summaries →`));
  if (points.length > 0) {
    chart.append(svg("polyline", { class: "line", points: points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ") }));
    // The newest point is marked, so the first summary (a line of one point) is visible too.
    const last = points.length - 1;
    chart.append(svg("circle", { cx: x(last).toFixed(1), cy: y(points[last].value).toFixed(1), r: 3.5, class: "bar" }));
  }
  $("rate-chart").replaceChildren(chart);
  if (last) $("rate-caption").textContent =
    `${last.answeredBy}: ${last.commandsPerSecond.toFixed(2)} commands/s over ${last.interval}, ${last.commandsExecuted} since it started; one point per summary, the last ${RATE_POINTS}.`;
}

// ---- alerts ----

function addAlert(alert) {
  state.alerts.delete(alert.id); // counted again: it moves to the top with its new count
  state.alerts.set(alert.id, alert);
  renderAlerts();
}

function renderAlerts() {
  const newest = [...state.alerts.values()].sort((a, b) => Date.parse(b.lastAt) - Date.parse(a.lastAt)).slice(0, 200);
  $("alerts").tBodies[0].replaceChildren(...newest.map((a) => el("tr", { "data-alert": a.id },
    el("td", {}, time(a.lastAt)), el("td", { class: `sev-${a.severity}` }, a.severity), el("td", {}, `${a.rule} (${a.article})`),
    el("td", {}, a.operatorId), el("td", {}, a.summary), el("td", { class: "num" }, a.count))));
}

// ---- suspensions ----

function applySuspension(s) {
  const key = `${s.kind}:${s.id}`;
  if (s.suspended) state.suspensions.set(key, s); else state.suspensions.delete(key);
}

function renderSuspensions() {
  const list = [...state.suspensions.values()].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  $("suspensions").tBodies[0].replaceChildren(...list.map((s) => el("tr", { "data-suspended": `${s.kind}:${s.id}` },
    el("td", {}, s.kind), el("td", {}, s.id), el("td", {}, s.operatorId ?? "—"), el("td", {}, s.reason ?? "—"), el("td", {}, time(s.at)))));
  $("suspensions-note").textContent = state.suspensionsKnown === false
    ? "The answering node does not follow the record (no 'api' role): suspensions are unknown here."
    : `${list.length} suspended.`;
}

// ---- the live stream ----

function handle(name, data) {
  switch (name) {
    case "snapshot":
      renderMembers(data.members);
      addSummary(data.summary);
      state.suspensions.clear();
      state.suspensionsKnown = data.suspensions.known;
      data.suspensions.current.forEach(applySuspension);
      renderSuspensions();
      break;
    case "member": refreshMembers().catch(fail); break;
    case "summary": addSummary(data); refreshShards().catch(fail); break;
    case "alert": addAlert(data); break;
    case "suspension": applySuspension(data); renderSuspensions(); break;
  }
}

// Server-Sent Events framing: lines "event: x" and "data: ..." make one event, an empty line ends it; ":" is a comment.
async function follow(signal) {
  const response = await fetch("/cluster/events", { headers: { Authorization: `Bearer ${state.token}`, Accept: "text/event-stream" }, signal, cache: "no-store" });
  if (response.status === 401 || response.status === 403) throw new Refused(response.status, await problemDetail(response));
  if (!response.ok || !response.body) throw new Error(`GET /cluster/events answered ${response.status}`);
  status("Connected: live.");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "", name = "message", data = [];
  while (true) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      if (line === "") {
        if (data.length) {
          try { handle(name, JSON.parse(data.join("\n"))); } catch (e) { console.error("console: bad event", name, e); }
        }
        name = "message"; data = [];
      } else if (line.startsWith(":")) continue;
      else {
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") name = value; else if (field === "data") data.push(value);
      }
    }
  }
}

function fail(error) {
  if (error?.name === "AbortError") return;
  showError(error instanceof Refused ? error.message : `Error: ${error.message}`);
  if (error instanceof Refused) stop("Not connected: the token was refused.");
}

function stop(text) {
  state.stream?.abort();
  state.stream = null;
  status(text);
}

// Loads the current views, then follows the stream; reconnects after a pause when the stream ends (a node stops
// its streams when it stops; another node, behind the same address, answers the next one) — never after a refusal.
async function connect() {
  stop("Connecting…");
  showError("");
  const control = new AbortController();
  state.stream = control;
  try {
    state.alerts.clear();
    const [alerts] = await Promise.all([get("/api/alerts?limit=100"), refreshMembers(), refreshShards()]);
    alerts.forEach((a) => state.alerts.set(a.id, a));
    renderAlerts();
    while (!control.signal.aborted) {
      try {
        await follow(control.signal);
        status("The stream ended; reconnecting…");
      } catch (e) {
        if (e instanceof Refused || e?.name === "AbortError") throw e;
        status(`The stream failed (${e.message}); reconnecting…`);
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  } catch (e) {
    if (state.stream === control) fail(e);
  }
}

// Only Development answers POST /dev/tokens: an empty body gets a 400 there, a 404 elsewhere.
async function offerDevelopmentTokens() {
  try {
    const probe = await fetch("/dev/tokens", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    $("dev-token-helper").hidden = probe.status !== 400;
  } catch { /* not offered */ }
}

async function developmentToken() {
  const response = await fetch("/dev/tokens", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ role: "maintainer", org: "ops-console" }) });
  if (!response.ok) { showError(`POST /dev/tokens answered ${response.status}: ${await problemDetail(response)}`); return; }
  $("token").value = (await response.json()).token;
  useToken();
}

function useToken() {
  const token = $("token").value.trim();
  if (!token) { showError("Enter a token."); return; }
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  connect();
}

$("token-form").addEventListener("submit", (e) => { e.preventDefault(); useToken(); });
$("dev-token").addEventListener("click", () => developmentToken().catch(fail));
$("forget").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); $("token").value = ""; state.token = null; stop("Not connected."); });
renderSuspensions();
drawRateChart(null);
offerDevelopmentTokens();
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) { $("token").value = saved; useToken(); }
