import type { Redis } from 'ioredis';
import { ADJUST_TOKENS_LUA } from './lua/adjustTokensLua.js';
import { BREAKER_ACQUIRE_LUA } from './lua/breakerAcquireLua.js';
import { BREAKER_RECORD_LUA } from './lua/breakerRecordLua.js';
import { BUDGET_LUA } from './lua/budgetLua.js';
import { CACHE_SET_LUA } from './lua/cacheSetLua.js';
import { SCORE_UPDATE_LUA } from './lua/scoreUpdateLua.js';
import { STORE_RESULT_LUA } from './lua/storeResultLua.js';
import { TAKE_TOKENS_LUA } from './lua/takeTokensLua.js';

/** A script defined on a client: called with its keys then its arguments (or, for a variable key count, the count first). */
export type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;

/** The scripts rx-bedrock defines on a client, by name. */
export interface RedisScripts {
  readonly takeTokens: ScriptCall;
  readonly adjustTokens: ScriptCall;
  readonly breakerAcquire: ScriptCall;
  readonly breakerRecord: ScriptCall;
  readonly scoreUpdate: ScriptCall;
  readonly cacheSet: ScriptCall;
  readonly budget: ScriptCall;
  readonly storeResult: ScriptCall;
}

const SCRIPTS: Record<keyof RedisScripts, { readonly lua: string; readonly numberOfKeys?: number }> = {
  takeTokens: { lua: TAKE_TOKENS_LUA },
  adjustTokens: { lua: ADJUST_TOKENS_LUA, numberOfKeys: 1 },
  breakerAcquire: { lua: BREAKER_ACQUIRE_LUA, numberOfKeys: 1 },
  breakerRecord: { lua: BREAKER_RECORD_LUA, numberOfKeys: 1 },
  scoreUpdate: { lua: SCORE_UPDATE_LUA, numberOfKeys: 1 },
  cacheSet: { lua: CACHE_SET_LUA, numberOfKeys: 2 },
  budget: { lua: BUDGET_LUA, numberOfKeys: 1 },
  storeResult: { lua: STORE_RESULT_LUA, numberOfKeys: 2 },
};

/**
 * Defines rx-bedrock's Lua scripts on `redis` (ioredis `defineCommand`: sent
 * once, then run by `EVALSHA`) and returns them, typed. Defining twice on one
 * client is harmless.
 */
export function redisScripts(redis: Redis): RedisScripts {
  const client = redis as unknown as Record<string, ScriptCall>;
  const scripts: Partial<Record<keyof RedisScripts, ScriptCall>> = {};
  for (const [name, definition] of Object.entries(SCRIPTS) as [keyof RedisScripts, (typeof SCRIPTS)[keyof RedisScripts]][]) {
    const command = `rxBedrock_${name}`;
    if (typeof client[command] !== 'function') redis.defineCommand(command, definition);
    scripts[name] = (...args) => client[command]!(...args);
  }
  return scripts as RedisScripts;
}
