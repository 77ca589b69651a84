import { BUCKET_LEVEL_LUA } from './bucketLevelLua.js';
import { LUA_PRELUDE } from './luaPrelude.js';

/**
 * All-or-nothing take from token buckets. KEYS: one hash per bucket
 * (`tokens`, `at`); ARGV: `capacity, refillMs, amount` for each bucket.
 * Refills every bucket to the server's `now`, takes from all of them only when
 * each holds enough, and lets a bucket's key expire once it would be full
 * again (a missing bucket is a full one). Answers
 * `{granted (0|1), waitMs, remaining...}` (remaining as strings).
 */
export const TAKE_TOKENS_LUA = `${LUA_PRELUDE}${BUCKET_LEVEL_LUA}
local n = #KEYS
local levels, ats, caps, refills, amounts = {}, {}, {}, {}, {}
local wait = 0
for i = 1, n do
  local cap = tonumber(ARGV[3 * i - 2])
  local refillMs = tonumber(ARGV[3 * i - 1])
  local amount = math.min(tonumber(ARGV[3 * i]), cap)
  local tokens, at = level(KEYS[i], cap, refillMs)
  levels[i], ats[i], caps[i], refills[i], amounts[i] = tokens, at, cap, refillMs, amount
  local missing = amount - tokens
  if missing > 0 then
    local w = math.ceil(missing * refillMs / cap - 1e-9)
    if w > wait then wait = w end
  end
end
local granted = wait == 0
local reply = { granted and 1 or 0, wait }
for i = 1, n do
  local tokens = levels[i]
  if granted then tokens = tokens - amounts[i] end
  redis.call('HSET', KEYS[i], 'tokens', num(tokens), 'at', num(ats[i]))
  redis.call('PEXPIRE', KEYS[i], math.ceil((caps[i] - tokens) * refills[i] / caps[i]) + 1000)
  reply[i + 2] = num(tokens)
end
return reply
`;
