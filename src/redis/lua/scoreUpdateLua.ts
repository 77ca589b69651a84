/**
 * Folds one sample into a shared EMA score (the Redis twin of `emaScore`),
 * atomically, so samples from every instance merge into one average. KEYS:
 * the scores hash (one JSON field per score key); ARGV: `field, success,
 * latencyMs, costUsd, alpha`. Answers the merged entry as JSON.
 */
export const SCORE_UPDATE_LUA = `
local success, latency, cost, alpha = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local e
if raw then
  e = cjson.decode(raw)
  e.count = e.count + 1
  e.success = e.success + alpha * (success - e.success)
  e.latencyMs = e.latencyMs + alpha * (latency - e.latencyMs)
  e.costUsd = e.costUsd + alpha * (cost - e.costUsd)
else
  e = { count = 1, success = success, latencyMs = latency, costUsd = cost }
end
local out = cjson.encode(e)
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;
