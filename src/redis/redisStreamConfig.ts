import type { Redis } from 'ioredis';
import type { SchedulerLike } from 'rxjs';
import type { EventBus } from '../core/events.js';

/** Options of {@link fromRedisStream}. */
export interface RedisStreamConfig {
  /** The client for acknowledgements and reclaims; blocking reads use a duplicate of it. */
  readonly redis: Redis;
  /** The stream requests are added to (`enqueueRequests` writes fields `id` and `request`). */
  readonly stream: string;
  /** The consumer group shared by every worker; created (with the stream) when missing. */
  readonly group: string;
  /** This worker's name in the group; unique per running worker. */
  readonly consumer: string;
  /** The hash results are stored in, by request id. Default `<stream>:results`. */
  readonly results?: string;
  /** Most entries read at once. Default 16. */
  readonly batch?: number;
  /** How long one read blocks waiting for entries, in ms. Default 1,000. */
  readonly blockMs?: number;
  /**
   * An entry pending this long without being acknowledged is presumed lost
   * (its worker died) and claimed by another worker. Entries this worker still
   * runs are kept alive, so one slow request is not taken over. Default 30,000.
   */
  readonly visibilityTimeoutMs?: number;
  /** Most deliveries handed out and not yet acknowledged; reading pauses at this bound. Default `batch`. */
  readonly maxInFlight?: number;
  /** Pause before reading again after a Redis error, in ms. Default 500. */
  readonly retryDelayMs?: number;
  /** Where `store-degraded` events go while reading fails. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/** A {@link RedisStreamConfig} checked, with defaults applied. */
export type ResolvedRedisStreamConfig = Required<Omit<RedisStreamConfig, 'events' | 'scheduler'>> & Pick<RedisStreamConfig, 'events' | 'scheduler'>;

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`fromRedisStream: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function name(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`fromRedisStream: ${option} must be a non-empty string`);
  return value;
}

/** Checks a {@link RedisStreamConfig}; a bad option throws a `TypeError` naming it. */
export function resolveRedisStreamConfig(config: RedisStreamConfig): ResolvedRedisStreamConfig {
  if (typeof config !== 'object' || config === null) throw new TypeError('fromRedisStream: config must be an object');
  if (typeof config.redis !== 'object' || config.redis === null || typeof config.redis.duplicate !== 'function') {
    throw new TypeError('fromRedisStream: redis must be an ioredis client');
  }
  const stream = name('stream', config.stream);
  const batch = positiveInt('batch', config.batch, 16);
  return {
    ...config,
    redis: config.redis,
    stream,
    group: name('group', config.group),
    consumer: name('consumer', config.consumer),
    results: name('results', config.results ?? `${stream}:results`),
    batch,
    blockMs: positiveInt('blockMs', config.blockMs, 1_000),
    visibilityTimeoutMs: positiveInt('visibilityTimeoutMs', config.visibilityTimeoutMs, 30_000),
    maxInFlight: positiveInt('maxInFlight', config.maxInFlight, batch),
    retryDelayMs: positiveInt('retryDelayMs', config.retryDelayMs, 500),
  };
}
