import { LUA_PRELUDE } from './luaPrelude.js';

/**
 * Records how a permitted call ended on a shared circuit (the Redis twin of
 * `recordBreaker`). KEYS: the breaker hash; ARGV: `outcome (success|failure|
 * ignored), probe (0|1), failureThreshold ('' for none), rate, window,
 * minCalls ('' for no failure-rate policy), ttlMs`. The failure-rate window is
 * a string of '0'/'1' of `window` characters. Answers `{state, from}` (`from`
 * is '' when the state did not change).
 */
export const BREAKER_RECORD_LUA = `${LUA_PRELUDE}
local outcome = ARGV[1]
local probe = ARGV[2] == '1'
local threshold = tonumber(ARGV[3])
local rate, window, minCalls = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local h = redis.call('HMGET', KEYS[1], 'state', 'probes', 'cf', 'ring', 'rn', 'rc', 'rf')
local state = h[1] or 'closed'
local probes = tonumber(h[2]) or 0
local cf = tonumber(h[3]) or 0
local ring, rn, rc, rf = h[4] or '', tonumber(h[5]) or 0, tonumber(h[6]) or 0, tonumber(h[7]) or 0
local function reset()
  cf, rn, rc, rf = 0, 0, 0, 0
  ring = window and string.rep('0', window) or ''
end
local function save()
  redis.call('HSET', KEYS[1], 'state', state, 'probes', probes, 'cf', cf, 'ring', ring, 'rn', rn, 'rc', rc, 'rf', rf)
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
end
local function open()
  local from = state
  state = 'open'
  probes = 0
  reset()
  redis.call('HSET', KEYS[1], 'openedAt', num(now))
  save()
  return { 'open', from }
end
if window and #ring ~= window then
  ring = string.rep('0', window)
  rn, rc, rf = 0, 0, 0
end
if probe then
  if probes > 0 then
    probes = probes - 1
    redis.call('HSET', KEYS[1], 'probes', probes)
  end
  if state ~= 'half-open' or outcome == 'ignored' then return { state, '' } end
  if outcome == 'failure' then return open() end
  state = 'closed'
  reset()
  save()
  return { 'closed', 'half-open' }
end
if state ~= 'closed' or outcome == 'ignored' then return { state, '' } end
local failed = outcome == 'failure' and 1 or 0
if failed == 1 then cf = cf + 1 else cf = 0 end
if window then
  if rc == window then rf = rf - tonumber(string.sub(ring, rn + 1, rn + 1)) else rc = rc + 1 end
  ring = string.sub(ring, 1, rn) .. failed .. string.sub(ring, rn + 2)
  rf = rf + failed
  rn = (rn + 1) % window
end
if (threshold and cf >= threshold) or (window and rc >= minCalls and rf >= rate * rc) then return open() end
save()
return { 'closed', '' }
`;
