-- web.lua — wrk script for `make bench-web`: each request is a GET of
-- /api/search?q=... with the next query of $QUERIES (one URL-encoded query
-- a line), every thread starting at a different place in the list; counts
-- answers that are not 200 as errors.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if #line > 0 then queries[#queries + 1] = line end
end
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("start", counter * 7919)
end

init = function(args)
  i = start or 0
end

request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  return wrk.format("GET", "/api/search?limit=10&q=" .. q)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
