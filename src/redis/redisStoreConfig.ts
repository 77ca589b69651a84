import type { Redis } from 'ioredis';
import type { SchedulerLike } from 'rxjs';
import type { EventBus } from '../core/events.js';
import type { Store } from '../state/store.js';

/** What a {@link RedisStore} does when Redis fails or is too slow to answer. */
export type RedisFailMode = 'open' | 'closed';

/** Options of {@link RedisStore}. */
export interface RedisStoreConfig {
  /** The client to use (see `createRedisClient` for one that fails fast). */
  readonly redis: Redis;
  /** Namespace of every key this store writes. Default `rxb:`. */
  readonly prefix?: string;
  /** Longest wait for any one operation, in ms (on the scheduler's clock). Default 250. */
  readonly commandTimeoutMs?: number;
  /**
   * On an error or a timeout: `open` answers from local state (`fallback`) and
   * emits `store-degraded`; `closed` fails the operation with an `unavailable`
   * ModelError (`source: 'redis'`) and emits `store-degraded`. Default `open`.
   */
  readonly failMode?: RedisFailMode;
  /** The local state used while degraded in `open` mode. Default: a new MemoryStore. */
  readonly fallback?: Store;
  /** Once degraded, operations skip Redis (answering as `failMode` says) for this long before trying it again. Default 1,000. */
  readonly recheckMs?: number;
  /** Where `store-degraded` events go. */
  readonly events?: EventBus;
  /** Most cached values kept in Redis (oldest writes evicted first). Default 10,000. */
  readonly maxCacheEntries?: number;
  /** Slots of a rolling budget window. Default 60. */
  readonly budgetSlots?: number;
  /** A half-open probe slot held this long is given back (its holder is presumed dead). Default 60,000. */
  readonly probeLeaseMs?: number;
  /** Breaker state untouched this long is dropped. Default one day. */
  readonly stateTtlMs?: number;
  readonly scheduler?: SchedulerLike;
}

/** A {@link RedisStoreConfig} checked, with its defaults applied. */
export interface ResolvedRedisStoreConfig {
  readonly redis: Redis;
  readonly prefix: string;
  readonly commandTimeoutMs: number;
  readonly recheckMs: number;
  readonly failMode: RedisFailMode;
  readonly maxCacheEntries: number;
  readonly budgetSlots: number;
  readonly probeLeaseMs: number;
  readonly stateTtlMs: number;
}

function positive(name: string, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`RedisStore: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
  return value;
}

/** Checks a {@link RedisStoreConfig}; a bad option throws a `TypeError` naming it. */
export function resolveRedisStoreConfig(config: RedisStoreConfig): ResolvedRedisStoreConfig {
  if (typeof config !== 'object' || config === null) throw new TypeError('RedisStore: config must be an object with a redis client');
  if (typeof config.redis !== 'object' || config.redis === null || typeof config.redis.defineCommand !== 'function') {
    throw new TypeError('RedisStore: redis must be an ioredis client');
  }
  const prefix = config.prefix ?? 'rxb:';
  if (typeof prefix !== 'string') throw new TypeError('RedisStore: prefix must be a string');
  const failMode = config.failMode ?? 'open';
  if (failMode !== 'open' && failMode !== 'closed') throw new TypeError(`RedisStore: failMode must be 'open' or 'closed', got ${String(failMode)}`);
  if (config.events !== undefined && typeof config.events.emit !== 'function') throw new TypeError('RedisStore: events must be an EventBus');
  return {
    redis: config.redis,
    prefix,
    failMode,
    commandTimeoutMs: positive('commandTimeoutMs', config.commandTimeoutMs, 250, false),
    recheckMs: positive('recheckMs', config.recheckMs, 1_000, false),
    maxCacheEntries: positive('maxCacheEntries', config.maxCacheEntries, 10_000, true),
    budgetSlots: positive('budgetSlots', config.budgetSlots, 60, true),
    probeLeaseMs: positive('probeLeaseMs', config.probeLeaseMs, 60_000, false),
    stateTtlMs: positive('stateTtlMs', config.stateTtlMs, 86_400_000, true),
  };
}
