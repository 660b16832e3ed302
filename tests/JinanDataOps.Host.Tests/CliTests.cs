using System.Text;
using System.Text.Json;
using JinanDataOps.Cli;
using JinanDataOps.Host.Tests.Infrastructure;
using Spectre.Console;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>The terminal console jdo (issue 13) against the real host: its command tree runs in-process on a captured
/// console (no terminal: no colours, no animation, as when its output is piped), and each test checks what it prints and
/// its exit code.</summary>
public sealed class CliTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    private string Url => _api.Host.BaseAddress.ToString();

    [Fact]
    public async Task Cluster_members_shows_the_node_up()
    {
        var self = (await _api.Get(await _api.Token("maintainer", "ops-team"), "/cluster/members")).Expect(200).Str("answeredBy");
        var run = await Jdo("cluster", "members", "--token", await _api.Token("maintainer", "ops-team"));
        Assert.True(run.Code == 0, run.Text);
        Assert.Contains(self, run.Text);
        Assert.Contains("Up", run.Text);
        Assert.Contains("(this node)", run.Text);
    }

    [Fact]
    public async Task Cluster_shards_shows_the_operator_region_on_the_node_after_an_operator_registers()
    {
        await _p.Operator(Unique("op-cli"));
        var token = await _api.Token("regulator", "cac-jinan");
        var table = await Jdo("cluster", "shards", "--token", token);
        Assert.True(table.Code == 0, table.Text);
        Assert.Contains(table.Text.Split('\n'), line => line.Contains("operator") && line.Contains("entities") && line.Contains("akka"));

        var json = await Jdo("cluster", "shards", "--token", token, "--json");
        Assert.True(json.Code == 0, json.Text);
        var view = JsonDocument.Parse(json.Text).RootElement;
        var region = Assert.Single(view.GetProperty("regions").EnumerateArray(), r => r.GetProperty("region").GetString() == "operator");
        var node = Assert.Single(region.GetProperty("nodes").EnumerateArray());
        Assert.Equal(view.GetProperty("answeredBy").GetString(), node.GetProperty("address").GetString());
        Assert.True(node.GetProperty("entities").GetInt32() >= 1, region.ToString());
    }

    [Fact]
    public async Task Audit_verify_exits_0_on_an_intact_chain_and_json_says_valid()
    {
        await _p.Operator(Unique("op-audited"));
        var token = await _api.Token("authority", "city-supervision");
        // The chain is appended by its singleton after the event is persisted: wait until it holds a record.
        await Wait.Eventually(async () =>
        {
            var json = await Jdo("audit", "verify", "--json", "--token", token);
            Assert.True(json.Code == 0, json.Text);
            var verdict = JsonDocument.Parse(json.Text).RootElement;
            Assert.True(verdict.GetProperty("valid").GetBoolean());
            Assert.True(verdict.GetProperty("records").GetInt64() >= 1, json.Text);
        });

        var run = await Jdo("audit", "verify", "--token", token);
        Assert.True(run.Code == 0, run.Text);
        Assert.Contains("The audit chain is intact", run.Text);
    }

    [Fact]
    public async Task A_wrong_token_exits_2_with_a_clear_message_and_a_forbidden_role_too()
    {
        var wrong = await Jdo("cluster", "members", "--token", "not-a-token");
        Assert.True(wrong.Code == 2, wrong.Text);
        Assert.Contains("401", wrong.Text);
        Assert.Contains("invalid or expired", wrong.Text);

        var none = await Jdo("cluster", "members");
        Assert.True(none.Code == 2, none.Text);
        Assert.Contains("no token", none.Text);

        var forbidden = await Jdo("cluster", "members", "--token", await _api.Token("operator", Unique("op-nosy")));
        Assert.True(forbidden.Code == 2, forbidden.Text);
        Assert.Contains("403", forbidden.Text);
    }

    [Fact]
    public async Task An_unreachable_node_exits_3_and_bad_usage_exits_1()
    {
        // Port 1 (tcpmux) is not served on the test machines: the connection is refused at once.
        var down = await Jdo(["cluster", "members", "--token", "t"], url: "http://127.0.0.1:1");
        Assert.True(down.Code == 3, down.Text);
        Assert.Contains("not reachable", down.Text);

        Assert.Equal(1, (await Jdo("cluster", "nodes")).Code);
        Assert.Equal(1, (await Jdo("operators", "--state", "active")).Code);
        Assert.Equal(1, (await Jdo("token", "--role", "emperor", "--org", "x")).Code);
    }

    [Fact]
    public async Task Token_prints_a_token_that_the_api_accepts_and_the_environment_supplies_url_and_token()
    {
        var issued = await Jdo("token", "--role", "maintainer", "--org", "ops-team");
        Assert.True(issued.Code == 0, issued.Text);
        var token = issued.Text.Trim();
        Assert.DoesNotContain(" ", token);
        (await _api.Get(token, "/cluster/members")).Expect(200);

        // JDO_URL and JDO_TOKEN stand in for --url and --token.
        var members = await Jdo(["cluster", "members", "--json"], url: null, environment: new() { ["JDO_URL"] = Url, ["JDO_TOKEN"] = token });
        Assert.True(members.Code == 0, members.Text);
        Assert.Single(JsonDocument.Parse(members.Text).RootElement.GetProperty("members").EnumerateArray());
    }

    [Fact]
    public async Task Alerts_follow_prints_the_alert_of_a_sandbox_violation_then_stops_on_cancel_and_operators_lists_the_suspension()
    {
        var authority = Unique("city");
        var provider = Unique("bureau");
        var data = Unique("bus-trips");
        var op = Unique("op-followed");
        await _p.Dataset(provider, data, "transport", ("line", false), ("boardings", false));
        var setup = await _p.Provisioned(authority, provider, data, [op], "trip-dashboard");
        var (_, requests) = setup[op];
        var token = await _api.Token("authority", "city-supervision");

        using var stop = new CancellationTokenSource();
        var console = new CapturedConsole();
        var follow = global::JinanDataOps.Cli.Jdo.RunAsync(["alerts", "--follow", "--url", Url, "--token", token], console.Console, _ => null, stop.Token);
        try
        {
            // Following once the current alerts are printed: the stream is already open then.
            await Wait.Eventually(() =>
            {
                Assert.Contains("Following new alerts", console.Text);
                return Task.CompletedTask;
            }, diagnostics: () => console.Text);
            Assert.DoesNotContain(op, console.Text);

            // An export attempt: a critical alert, and the operator suspended by policy (Art. 15, 18).
            var batch = SandboxMonitoringTests.Event(op, requests[0], data, kind: "export", rows: 50_000);
            var accepted = (await _api.PostRaw(await _api.Token("sandbox", "sandbox-1"), "/api/sandbox/events", batch, "application/x-ndjson")).Expect(202);
            var alertId = Assert.Single(accepted["acted"].EnumerateArray()).GetString()!;

            // The first line with it: an alert counted again (more events of the same window) is printed again.
            var line = await Wait.Eventually(() => Task.FromResult(console.Text.Split('\n').First(l => l.Contains(alertId))),
                diagnostics: () => console.Text);
            Assert.Contains("critical", line);
            Assert.Contains($"operator {op}", line);
            Assert.False(follow.IsCompleted, console.Text);
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(0, await follow.WaitAsync(Wait.DefaultTimeout));

        // The violation suspended the operator: jdo lists it from the event stream's snapshot.
        await Wait.Eventually(async () =>
        {
            var suspended = await Jdo("operators", "--state", "suspended", "--json", "--token", token);
            Assert.True(suspended.Code == 0, suspended.Text);
            Assert.Contains(JsonDocument.Parse(suspended.Text).RootElement.EnumerateArray(), s => s.GetProperty("id").GetString() == op);
        });
        var table = await Jdo("operators", "--state", "suspended", "--token", token);
        Assert.True(table.Code == 0, table.Text);
        Assert.Contains(op, table.Text);
    }

    private Task<Run> Jdo(params string[] args) => Jdo(args, Url);

    private static async Task<Run> Jdo(string[] args, string? url, Dictionary<string, string>? environment = null)
    {
        var console = new CapturedConsole();
        var all = url is null ? args : [.. args, "--url", url];
        var code = await global::JinanDataOps.Cli.Jdo.RunAsync(all, console.Console, n => environment?.GetValueOrDefault(n), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(120));
        return new Run(code, console.Text);
    }

    private sealed record Run(int Code, string Text);

    /// <summary>A console that is not a terminal (no ANSI, no colours, no animation) and wide enough that nothing wraps,
    /// over a writer that can be read while a follow writes to it.</summary>
    private sealed class CapturedConsole
    {
        private readonly StringWriter _buffer = new();
        private readonly TextWriter _writer;

        public CapturedConsole()
        {
            _writer = TextWriter.Synchronized(_buffer);
            Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(_writer),
            });
            Console.Profile.Width = 400;
        }

        public IAnsiConsole Console { get; }

        // TextWriter.Synchronized locks on the wrapper for every write: reading under the same lock sees whole writes.
        public string Text
        {
            get
            {
                lock (_writer) return _buffer.ToString();
            }
        }
    }
}
