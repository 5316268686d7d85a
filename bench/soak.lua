-- soak.lua — wrk script for `make soak`: a mixed load of what readers do,
-- in a fixed turn of 20 requests: 11 searches (the next query of $QUERIES,
-- URL-encoded, one a line), 3 records by id (up to $RECORDS), and one each
-- of the pages (/, a record's, /places), the sources, the persons and the
-- statistics. Every thread starts at a different place; answers that are
-- not 2xx or 3xx count as errors (wrk's non2xx).
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if #line > 0 then queries[#queries + 1] = line end
end
local records = tonumber(os.getenv("RECORDS")) or 1000
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
  local k = i % 20
  local path
  if k < 11 then
    path = "/api/search?limit=10&q=" .. q
  elseif k < 14 then
    path = "/api/records/" .. ((i * 7919) % records + 1)
  elseif k == 14 then
    path = "/"
  elseif k == 15 then
    path = "/record/" .. ((i * 104729) % records + 1)
  elseif k == 16 then
    path = "/places"
  elseif k == 17 then
    path = "/api/sources"
  elseif k == 18 then
    path = "/api/persons?limit=20&offset=" .. (i % 50)
  else
    path = "/api/stats"
  end
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
