-- wrk: GET /api/v1/people/{id} for random ids; reports p50/p99 and non-2xx counts.
local n = tonumber(os.getenv("BENCH_PEOPLE") or "100000")
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/people/" .. math.random(1, n))
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
