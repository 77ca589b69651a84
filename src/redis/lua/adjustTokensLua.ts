import { BUCKET_LEVEL_LUA } from './bucketLevelLua.js';
import { LUA_PRELUDE } from './luaPrelude.js';

/**
 * Adds `delta` tokens (negative charges) to one bucket, capped at its
 * capacity, after refilling it to the server's `now`. KEYS: the bucket hash;
 * ARGV: `capacity, refillMs, delta`. Answers the new level as a string.
 */
export const ADJUST_TOKENS_LUA = `${LUA_PRELUDE}${BUCKET_LEVEL_LUA}
local cap = tonumber(ARGV[1])
local refillMs = tonumber(ARGV[2])
local delta = tonumber(ARGV[3])
local tokens, at = level(KEYS[1], cap, refillMs)
tokens = math.min(cap, tokens + delta)
redis.call('HSET', KEYS[1], 'tokens', num(tokens), 'at', num(at))
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) * refillMs / cap) + 1000)
return num(tokens)
`;
