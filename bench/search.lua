-- wrk: people searches with a few rotating queries (common and rare substrings).
local queries = { "engineer", "zo", "sharma", "p4242", "director", "müller" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/people?limit=20&q=" .. queries[(i % #queries) + 1]:gsub("ü", "%%C3%%BC"))
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
