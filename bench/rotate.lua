-- wrk script: rotates through the request paths listed in a file (one per line, URL-encoded),
-- so 32 connections spread over many colleges/categories instead of hammering one cached query.
-- Usage: wrk ... -s bench/rotate.lua URL -- PATHS_FILE
local paths = {}
local index = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

-- One machine-readable line for bench/load_test.py (latency in microseconds).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
