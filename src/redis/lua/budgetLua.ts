import { LUA_PRELUDE } from './luaPrelude.js';

/**
 * A shared rolling spending window (the Redis twin of `RollingSpend`): a hash
 * with two fields per time slot (`<slot>:u` dollars, `<slot>:t` tokens),
 * slots of `windowMs / slots` on the server's clock; slots that left the
 * window are deleted, so the hash never holds more than `2 · slots` fields.
 * KEYS: the window hash; ARGV: `usd, tokens, windowMs, slots` (0 and 0 only
 * read). Answers `{usd, tokens}` as strings.
 */
export const BUDGET_LUA = `${LUA_PRELUDE}
local usd, tokens = tonumber(ARGV[1]), tonumber(ARGV[2])
local windowMs, slots = tonumber(ARGV[3]), tonumber(ARGV[4])
local slotMs = windowMs / slots
local current = math.floor(now / slotMs)
if usd ~= 0 or tokens ~= 0 then
  redis.call('HINCRBYFLOAT', KEYS[1], current .. ':u', usd)
  redis.call('HINCRBYFLOAT', KEYS[1], current .. ':t', tokens)
end
local all = redis.call('HGETALL', KEYS[1])
local totalUsd, totalTokens = 0, 0
for i = 1, #all, 2 do
  local field = all[i]
  local sep = string.find(field, ':', 1, true)
  local slot = tonumber(string.sub(field, 1, sep - 1))
  if slot <= current - slots then
    redis.call('HDEL', KEYS[1], field)
  elseif string.sub(field, sep + 1) == 'u' then
    totalUsd = totalUsd + tonumber(all[i + 1])
  else
    totalTokens = totalTokens + tonumber(all[i + 1])
  end
end
if #all > 0 then redis.call('PEXPIRE', KEYS[1], math.ceil(windowMs + 2 * slotMs)) end
return { num(totalUsd), num(totalTokens) }
`;
