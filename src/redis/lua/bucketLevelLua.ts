/**
 * Lua shared by the token-bucket scripts: `level(key, cap, refillMs)` reads a
 * bucket hash (`tokens`, `at`) and refills it to the server's `now` (a missing
 * bucket is a full one); answers `tokens, at`. Needs `now` from the prelude.
 */
export const BUCKET_LEVEL_LUA = `
local function level(key, cap, refillMs)
  local h = redis.call('HMGET', key, 'tokens', 'at')
  if not h[1] then return cap, now end
  local tokens, at = tonumber(h[1]), tonumber(h[2])
  if now > at then
    return math.min(cap, tokens + (now - at) * cap / refillMs), now
  end
  return tokens, at
end
`;
