import { isObservable, Observable, take, throwError, type SchedulerLike, type Subscription } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { modelFromCall } from '../core/modelCall.js';
import { estimateInputTokens, type InferenceRequest } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';
import { MemoryStore } from '../state/memoryStore.js';
import type { Store, TokenBucket, TokenTake } from '../state/store.js';
import { afterReply } from '../state/storeReply.js';
import { checkNumber, checkOptionalNumber } from './internal/checkOption.js';
import { instanceKey } from './internal/instanceKey.js';
import { callModel } from '../core/modelCall.js';
import { TokenWaitQueue } from './internal/tokenWaitQueue.js';

/** Options of {@link withRateLimit}: give `rpm`, `tpm`, or both. */
export interface RateLimitConfig {
  /** Requests per minute (a bucket of `burst` tokens refilled at `rpm` per 60 s). */
  readonly rpm?: number;
  /**
   * Requests let through at once before the `rpm` pace applies. Default `rpm`.
   * A bucket admits `burst` at once and then `rpm / 60` a second, so one 60 s
   * window can see up to `rpm + burst` after an idle spell; `burst: 1` keeps
   * every 60 s window at or under `rpm`.
   */
  readonly burst?: number;
  /** Tokens per minute: a request reserves its input estimate plus `maxTokens`, settled with its actual usage. */
  readonly tpm?: number;
  /** `wait`: queue until there is capacity; `reject`: fail with `throttled` at once. */
  readonly mode: 'wait' | 'reject';
  /** Longest a request may wait (`wait` mode); one that would wait longer is throttled at once. Default 60,000. */
  readonly maxWaitMs?: number;
  /** Most requests waiting (`wait` mode); past it, `throttled`. Default 1,000. */
  readonly maxQueue?: number;
  /** Output tokens reserved when a request sets no `inferenceConfig.maxTokens`. Default 1,024. */
  readonly defaultMaxTokens?: number;
  /** Where the buckets live (share them across processes with a Redis store). Default: a private MemoryStore. */
  readonly store?: Store;
  /** The buckets' key in the store (`<key>:rpm`, `<key>:tpm`). Default: one per wrapper instance. */
  readonly key?: string;
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

const MINUTE = 60_000;

/**
 * Token buckets in front of `model`. In `reject` mode a request the buckets
 * cannot serve fails at once with `throttled` (with `retryAfterMs`), so a
 * fallback can move on; in `wait` mode it queues (FIFO, bounded by
 * `maxQueue`, O(1)) until the buckets can serve it, unless its predicted wait
 * exceeds `maxWaitMs`. One timer serves the whole queue. With `tpm`, each
 * request reserves input estimate + `maxTokens` and settles with its actual
 * usage (the difference is refunded or charged); a failed or cancelled call
 * gets its output reservation back.
 *
 * ```text
 * rpm: 2, mode: 'wait', maxWaitMs: 60000   (2 tokens, one back every 30 s)
 * t:    0        30000    60000
 * a, b: ●(called at once)
 * c:    ●········●         queued; one timer for the queue's head fires at 30000
 * d:    ●·················●  second in line
 * e:    T                    would wait 90000 > maxWaitMs: throttled at once (retryAfterMs 90000)
 * ```
 *
 * Emits: the model's response or error, `throttled`. Events: `throttled`, `queued`.
 *
 * @example
 * ```ts
 * const limited = withRateLimit(model, { rpm: 100, tpm: 200_000, mode: 'wait', maxWaitMs: 5_000, events: bus });
 * ```
 */
export function withRateLimit(model: Model, config: RateLimitConfig): Model {
  const owner = 'withRateLimit';
  if (config.mode !== 'wait' && config.mode !== 'reject') throw new TypeError(`${owner}: mode must be 'wait' or 'reject', got ${String(config.mode)}`);
  const rpm = checkOptionalNumber(owner, 'rpm', config.rpm, 1);
  const burst = checkOptionalNumber(owner, 'burst', config.burst, 1, true);
  if (burst !== undefined && rpm === undefined) throw new TypeError(`${owner}: burst needs rpm`);
  const tpm = checkOptionalNumber(owner, 'tpm', config.tpm, 1);
  if (rpm === undefined && tpm === undefined) throw new TypeError(`${owner}: give rpm or tpm`);
  const maxWaitMs = checkNumber(owner, 'maxWaitMs', config.maxWaitMs ?? MINUTE, 0);
  const maxQueue = checkNumber(owner, 'maxQueue', config.maxQueue ?? 1_000, 0, true);
  const defaultMaxTokens = checkNumber(owner, 'defaultMaxTokens', config.defaultMaxTokens ?? 1_024, 1, true);
  const store = config.store ?? new MemoryStore({ maxKeys: 16 });
  const key = config.key ?? instanceKey('rateLimit');
  const events = config.events ?? NO_EVENTS;
  const tpmBucket = tpm === undefined ? undefined : { key: `${key}:tpm`, capacity: tpm, refillMs: MINUTE };

  const rpmTake: TokenTake | undefined = rpm === undefined ? undefined : { key: `${key}:rpm`, capacity: burst ?? rpm, refillMs: ((burst ?? rpm) * MINUTE) / rpm, amount: 1 };
  const demand = (request: InferenceRequest): readonly TokenTake[] => {
    if (!tpmBucket) return [rpmTake!];
    const amount = estimateInputTokens(request) + (request.inferenceConfig?.maxTokens ?? defaultMaxTokens);
    const tpmTake: TokenTake = { key: tpmBucket.key, capacity: tpmBucket.capacity, refillMs: MINUTE, amount };
    return rpmTake ? [rpmTake, tpmTake] : [tpmTake];
  };
  const throttled = (request: InferenceRequest, waitMs: number, why: string, now: number) => {
    events.emit({ type: 'throttled', time: now, requestId: request.id, key, waitMs, queued: false });
    return new ModelError('throttled', `rate limit ${key}: ${why}`, { requestId: request.id, retryAfterMs: waitMs, source: 'rateLimit' });
  };
  const queue = new TokenWaitQueue({
    store,
    scheduler: () => schedulerOf(config),
    maxWaitMs,
    throttled: (request, waitMs, now) => throttled(request, waitMs, `would wait past maxWaitMs (${maxWaitMs})`, now),
    queued: (request, waitMs, now, queueLength) => {
      events.emit({ type: 'throttled', time: now, requestId: request.id, key, waitMs, queued: true });
      events.emit({ type: 'queued', time: now, requestId: request.id, key, queueLength });
    },
    refund: (bucket, amount) => settleBucket(bucket, amount),
  });
  const settle = (delta: number) => {
    if (tpmBucket) settleBucket(tpmBucket, delta);
  };
  /** Gives back (or charges) tokens, then lets the queue go on if that freed capacity. */
  const settleBucket = (bucket: TokenBucket & { readonly key: string }, delta: number) => {
    if (delta === 0) return;
    const reply = store.adjustTokens(bucket.key, bucket, delta, schedulerOf(config).now());
    const kick = () => {
      if (delta > 0) queue.kick();
    };
    if (isObservable(reply)) reply.pipe(take(1)).subscribe({ next: kick, error: () => undefined });
    else kick();
  };
  const run = (request: InferenceRequest, takes: readonly TokenTake[]): Observable<InferenceResponse> => {
    if (!tpmBucket) return callModel(model, request);
    const reserved = Math.min(takes[takes.length - 1]!.amount, tpmBucket.capacity);
    const output = Math.min(request.inferenceConfig?.maxTokens ?? defaultMaxTokens, reserved);
    // Hand-written rather than tap + finalize: this runs for every request.
    return new Observable<InferenceResponse>((subscriber) => {
      let settled = false;
      const once = (delta: number) => {
        if (settled) return;
        settled = true;
        settle(delta);
      };
      const inner: Subscription = callModel(model, request).subscribe({
        next: (r) => (once(reserved - r.usage.inputTokens - r.usage.outputTokens), subscriber.next(r)),
        error: (e: unknown) => (once(output), subscriber.error(e)),
        complete: () => (once(output), subscriber.complete()),
      });
      return () => {
        once(output);
        inner?.unsubscribe();
      };
    });
  };

  const call = (request: InferenceRequest): Observable<InferenceResponse> => {
    const now = schedulerOf(config).now();
    const takes = demand(request);
    if (queue.length === 0) {
      return afterReply(store.takeTokens(takes, now), (result) => {
        if (result.granted) return run(request, takes);
        if (config.mode === 'reject') return throwError(() => throttled(request, result.waitMs, 'no capacity', now));
        if (result.waitMs > maxWaitMs) return throwError(() => throttled(request, result.waitMs, `would wait past maxWaitMs (${maxWaitMs})`, now));
        if (maxQueue === 0) return throwError(() => throttled(request, result.waitMs, `queue is full (maxQueue ${maxQueue})`, now));
        return queue.wait(request, takes, now, result.waitMs, () => run(request, takes));
      });
    }
    if (queue.length >= maxQueue) return throwError(() => throttled(request, 0, `queue is full (maxQueue ${maxQueue})`, now));
    const peek = takes.map((t) => ({ ...t, amount: 0 }));
    return afterReply(store.takeTokens(peek, now), (levels) => {
      const waitMs = queue.predictWaitMs(takes, levels.remaining);
      if (waitMs > maxWaitMs) return throwError(() => throttled(request, waitMs, `would wait past maxWaitMs (${maxWaitMs})`, now));
      return queue.wait(request, takes, now, waitMs, () => run(request, takes));
    });
  };

  return modelFromCall(call);
}
