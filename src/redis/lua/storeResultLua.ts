/**
 * Stores a request's result and acknowledges its stream entry in one atomic
 * step: the result goes into the results hash only if none is stored for that
 * request id yet (a redelivered request never gets a second result), then the
 * entry is `XACK`ed. KEYS: results hash, stream; ARGV: `group, entryId,
 * requestId, resultJson`. Answers 1 when this result was stored, 0 when one
 * already was.
 */
export const STORE_RESULT_LUA = `
local stored = redis.call('HSETNX', KEYS[1], ARGV[3], ARGV[4])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
return stored
`;
