import { Redis, type RedisOptions } from 'ioredis';
import { firstValueFrom, fromEvent, map, merge, take, timer, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';

/** Options of {@link createRedisClient}. */
export interface RedisClientConfig {
  /** Client-side limit on every command, in ms. Default 250. */
  readonly commandTimeoutMs?: number;
  /** Called with every connection error (the client keeps reconnecting). Default: ignored. */
  readonly onError?: (error: Error) => void;
  /** Further ioredis options; these win over the defaults above. */
  readonly options?: RedisOptions;
}

/**
 * An ioredis client that fails fast instead of hanging: commands sent while
 * disconnected are rejected at once (`enableOfflineQueue: false`), commands
 * in flight when the connection drops are rejected (`maxRetriesPerRequest: 0`),
 * every command has a `commandTimeout`, reconnection retries forever with a
 * capped delay, and connection errors go to `onError` instead of being printed.
 *
 * @example
 * ```ts
 * const redis = createRedisClient('redis://127.0.0.1:6379');
 * await redisReady(redis);
 * ```
 */
export function createRedisClient(url: string, config: RedisClientConfig = {}): Redis {
  const commandTimeout = config.commandTimeoutMs ?? 250;
  if (!(Number.isFinite(commandTimeout) && commandTimeout > 0)) {
    throw new TypeError(`createRedisClient: commandTimeoutMs must be a positive number, got ${String(commandTimeout)}`);
  }
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(50 * times, 1_000),
    ...config.options,
  });
  const onError = config.onError ?? (() => undefined);
  redis.on('error', onError);
  return redis;
}

/**
 * Resolves when `redis` is connected and ready, or rejects after `timeoutMs`
 * (default 5,000) with an Error naming the wait.
 */
export function redisReady(redis: Redis, timeoutMs = 5_000, scheduler?: SchedulerLike): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  const ready$ = fromEvent(redis, 'ready').pipe(map(() => undefined));
  const late$ = timer(timeoutMs, schedulerOf({ scheduler })).pipe(
    map(() => {
      throw new Error(`redis not ready after ${timeoutMs} ms`);
    }),
  );
  return firstValueFrom(merge(ready$, late$).pipe(take(1)));
}
