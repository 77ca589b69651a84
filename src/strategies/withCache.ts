import { catchError, defer, map, mergeMap, of, share, tap, type Observable, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { callModel, modelFromCall } from '../core/modelCall.js';
import type { InferenceRequest } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';
import { MemoryStore } from '../state/memoryStore.js';
import type { Store } from '../state/store.js';
import { afterReply } from '../state/storeReply.js';
import { checkNumber } from './internal/checkOption.js';
import { instanceKey } from './internal/instanceKey.js';
import { requestCacheKey } from './internal/stableKey.js';

/** Options of {@link withCache}. */
export interface CacheConfig {
  /** How long an answer is served from the cache. */
  readonly ttlMs: number;
  /** Most answers kept (least recently used dropped first) in the default store. Default 1,000. */
  readonly maxEntries?: number;
  /** What makes two requests the same. Default: a hash of messages, system and inferenceConfig (not the id). */
  readonly key?: (request: InferenceRequest) => string;
  /** Where answers are kept (share them across processes with a Redis store; its own bounds apply). Default: a MemoryStore of `maxEntries`. */
  readonly store?: Store;
  /** Prefix of this cache's keys in the store. Default: one per wrapper instance. */
  readonly namespace?: string;
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * An exact-match cache in front of `model`, with in-flight de-duplication:
 * a request answered within `ttlMs` is served from the cache, and identical
 * requests made while one is in flight share that one call (it is cancelled
 * only when all of them unsubscribe). Either way the answer carries the
 * caller's `requestId` and `details.cache` (`hit` or `shared`). Only answers
 * are cached, never errors. Every served copy is a `cache-hit` event.
 *
 * ```text
 * ttlMs: 10; a1, a2, a3 are the same request
 * requests: a1-a2-------a3
 * model:    ---A|                (called once)
 * result:   ---(A A)-----A       a2 shares a1's call; a3 is a hit
 * ```
 *
 * Emits: the model's response or error.
 *
 * @example
 * ```ts
 * const cached = withCache(model, { ttlMs: 60_000, maxEntries: 500, events: bus });
 * ```
 */
export function withCache(model: Model, config: CacheConfig): Model {
  const ttlMs = checkNumber('withCache', 'ttlMs', config.ttlMs, 0);
  const maxEntries = checkNumber('withCache', 'maxEntries', config.maxEntries ?? 1_000, 1, true);
  if (config.key !== undefined && typeof config.key !== 'function') throw new TypeError('withCache: key must be a function of the request');
  const keyOf = config.key ?? requestCacheKey;
  const store = config.store ?? new MemoryStore({ maxCacheEntries: maxEntries, maxKeys: 1 });
  const namespace = config.namespace ?? instanceKey('cache');
  const events = config.events ?? NO_EVENTS;
  const inFlight = new Map<string, Observable<InferenceResponse>>();

  const served = (request: InferenceRequest, response: InferenceResponse, how: 'hit' | 'shared', key: string, latencyMs: number): InferenceResponse => {
    events.emit({ type: 'cache-hit', time: schedulerOf(config).now(), requestId: request.id, key, shared: how === 'shared' });
    return { ...response, requestId: request.id, latencyMs, details: { ...response.details, cache: how } };
  };
  const join = (request: InferenceRequest, key: string, shared: Observable<InferenceResponse>, start: number) =>
    shared.pipe(map((r) => served(request, r, 'shared', key, schedulerOf(config).now() - start)));

  const call = (request: InferenceRequest) =>
    defer(() => {
      const scheduler = schedulerOf(config);
      const start = scheduler.now();
      const key = `${namespace}:${keyOf(request)}`;
      const running = inFlight.get(key);
      if (running) return join(request, key, running, start);
      return afterReply(store.cacheGet(key, start), (hit) => {
        if (hit !== undefined) return of(served(request, hit as InferenceResponse, 'hit', key, 0));
        const raced = inFlight.get(key);
        if (raced) return join(request, key, raced, start);
        const leave = () => inFlight.get(key) === shared && inFlight.delete(key);
        const shared: Observable<InferenceResponse> = defer(() => callModel(model, request)).pipe(
          // A store that fails to keep the answer (Redis down, fail-closed) costs the cache entry, never the answer.
          mergeMap((response) => defer(() => afterReply(store.cacheSet(key, response, ttlMs, scheduler.now()), () => of(response))).pipe(catchError(() => of(response)))),
          tap({ next: leave, error: leave, unsubscribe: leave }),
          share(),
        );
        inFlight.set(key, shared);
        return shared;
      });
    });

  return modelFromCall(call);
}
