import { LUA_PRELUDE } from './luaPrelude.js';

/**
 * Caches a value with a TTL and keeps the cache bounded: every key is indexed
 * in a sorted set by write time, and past `maxEntries` the oldest writes are
 * evicted. KEYS: the value key, the index; ARGV: `json, ttlMs, maxEntries`.
 */
export const CACHE_SET_LUA = `${LUA_PRELUDE}
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], now, KEYS[1])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if excess > 0 then
  local old = redis.call('ZPOPMIN', KEYS[2], excess)
  for i = 1, #old, 2 do redis.call('DEL', old[i]) end
end
return 1
`;
