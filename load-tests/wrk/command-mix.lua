-- A persisted-command mix over many operator entities: security reports and training records
-- (Art. 16), one journal event per request. Tokens come from setup-operators.py.
local operators = {}
local counter = 0

function init(args)
  for line in io.lines(args[1] or "tokens.txt") do
    local org, token = line:match("^(%S+) (%S+)$")
    operators[#operators + 1] = { org = org, token = token }
  end
end

request = function()
  counter = counter + 1
  local op = operators[(counter % #operators) + 1]
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. op.token }
  if counter % 2 == 0 then
    return wrk.format("POST", "/api/operators/" .. op.org .. "/security-reports", headers,
      '{"period":"2026-Q4","summary":"no incidents; access reviewed"}')
  else
    return wrk.format("POST", "/api/operators/" .. op.org .. "/trainings", headers,
      '{"staff":["engineer-a","engineer-b"],"completedOn":"2026-11-01"}')
  end
end

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (non-2xx %d)\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("throughput %.0f commands/s\n", summary.requests / (summary.duration / 1e6)))
end
