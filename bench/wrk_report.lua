-- wrk script for bench/queue_bench.py: counts every answer other than 200 (redirects to the
-- sign-in page included) and prints machine-readable totals at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("bad")
  end
  local errors = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d not200=%d socket_errors=%d " ..
    "p50_us=%d p99_us=%d\n", summary.requests, summary.duration, not_ok,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
