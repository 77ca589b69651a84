/**
 * Lua every store script starts with: `now` in ms from the Redis server's
 * clock (`TIME`), so every instance sees one clock, and `num(x)`, which turns a
 * number into a string without losing its fraction (Redis truncates Lua
 * numbers in replies to integers).
 */
export const LUA_PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function num(x) return string.format('%.17g', x) end
`;
