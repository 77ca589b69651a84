import { LUA_PRELUDE } from './luaPrelude.js';

/**
 * Asks a shared circuit whether a call may go through (the Redis twin of
 * `acquireBreaker`). KEYS: the breaker hash; ARGV: `openForMs,
 * halfOpenProbes, probeLeaseMs, ttlMs`. While half-open, the probe slots are
 * shared by every instance; a slot held longer than `probeLeaseMs` (its
 * holder died) is given back. Answers `{permitted, probe, state,
 * retryAfterMs, from}` (`from` is '' unless the circuit moved open → half-open).
 */
export const BREAKER_ACQUIRE_LUA = `${LUA_PRELUDE}
local openForMs = tonumber(ARGV[1])
local maxProbes = tonumber(ARGV[2])
local leaseMs = tonumber(ARGV[3])
local h = redis.call('HMGET', KEYS[1], 'state', 'openedAt', 'probes', 'probeAt')
local state = h[1] or 'closed'
if state == 'closed' then return { 1, 0, 'closed', 0, '' } end
local from = ''
local probes = tonumber(h[3]) or 0
if state == 'open' then
  local reopensAt = tonumber(h[2]) + openForMs
  if now < reopensAt then return { 0, 0, 'open', math.ceil(reopensAt - now), '' } end
  state = 'half-open'
  probes = 0
  from = 'open'
  redis.call('HSET', KEYS[1], 'state', 'half-open', 'probes', 0)
elseif probes >= maxProbes and h[4] and now - tonumber(h[4]) >= leaseMs then
  probes = 0
end
local permitted = probes < maxProbes
if permitted then
  redis.call('HSET', KEYS[1], 'probes', probes + 1, 'probeAt', num(now))
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return { permitted and 1 or 0, permitted and 1 or 0, 'half-open', 0, from }
`;
