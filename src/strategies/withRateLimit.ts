import { isObservable, mergeMap, Observable, take, throwError, type SchedulerLike, type Subscription } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError, toModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { estimateInputTokens, type InferenceRequest } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';
import { MemoryStore } from '../state/memoryStore.js';
import type { Store, StoreReply, TokenBucket, TokenTake, TokenTakeResult } from '../state/store.js';
import { afterReply } from '../state/storeReply.js';
import { checkNumber, checkOptionalNumber } from './internal/checkOption.js';
import { instanceKey } from './internal/instanceKey.js';
import { LinkedQueue, type QueueNode } from './internal/linkedQueue.js';
import { oneCall } from './internal/oneCall.js';

/** Options of {@link withRateLimit}: give `rpm`, `tpm`, or both. */
export interface RateLimitConfig {
  /** Requests per minute (a bucket of `rpm` tokens refilled over 60 s). */
  readonly rpm?: number;
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

interface Waiter {
  readonly request: InferenceRequest;
  readonly takes: readonly TokenTake[];
  readonly deadline: number;
  readonly start: () => void;
  readonly reject: (error: ModelError) => void;
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
 * rpm: 2, mode: 'wait'        (a token every 30 s)
 * requests: (abc)
 * model:    a, b at 0; c at 30000
 * result:   (ab) ... c at 30000 (+ its latency)
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
  const tpm = checkOptionalNumber(owner, 'tpm', config.tpm, 1);
  if (rpm === undefined && tpm === undefined) throw new TypeError(`${owner}: give rpm or tpm`);
  const maxWaitMs = checkNumber(owner, 'maxWaitMs', config.maxWaitMs ?? MINUTE, 0);
  const maxQueue = checkNumber(owner, 'maxQueue', config.maxQueue ?? 1_000, 0, true);
  const defaultMaxTokens = checkNumber(owner, 'defaultMaxTokens', config.defaultMaxTokens ?? 1_024, 1, true);
  const store = config.store ?? new MemoryStore({ maxKeys: 16 });
  const key = config.key ?? instanceKey('rateLimit');
  const events = config.events ?? NO_EVENTS;
  const tpmBucket = tpm === undefined ? undefined : { key: `${key}:tpm`, capacity: tpm, refillMs: MINUTE };
  const queue = new LinkedQueue<Waiter>();
  const queuedDemand: number[] = [0, 0];
  let timer: Subscription | undefined;
  let draining = false;

  const rpmTake: TokenTake | undefined = rpm === undefined ? undefined : { key: `${key}:rpm`, capacity: rpm, refillMs: MINUTE, amount: 1 };
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
  const dequeued = (node: QueueNode<Waiter>) => {
    if (!queue.remove(node)) return false;
    node.value.takes.forEach((t, i) => (queuedDemand[i] = queuedDemand[i]! - Math.min(t.amount, t.capacity)));
    return true;
  };

  /** Serves the queue's head for as long as the buckets allow; then sets the one timer. */
  const drain = (): void => {
    timer?.unsubscribe();
    timer = undefined;
    if (draining) return;
    draining = true;
    while (queue.length > 0) {
      const scheduler = schedulerOf(config);
      const now = scheduler.now();
      const node = queue.peek()!;
      const reply: StoreReply<TokenTakeResult> = store.takeTokens(node.value.takes, now);
      if (isObservable(reply)) {
        reply.pipe(take(1)).subscribe({
          next: (result) => {
            draining = false;
            if (queue.peek() === node) {
              if (serveHead(result, now)) drain();
            } else {
              // The waiter left while the store answered: give its tokens back.
              if (result.granted) node.value.takes.forEach((t) => settleBucket(t, Math.min(t.amount, t.capacity)));
              drain();
            }
          },
          error: (e: unknown) => {
            draining = false;
            if (dequeued(node)) node.value.reject(toModelError(e, { requestId: node.value.request.id, source: 'rateLimit store' }));
            drain();
          },
        });
        return;
      }
      if (!serveHead(reply, now)) break;
    }
    draining = false;
  };
  /** Starts or throttles the head; answers whether to go on with the next one. */
  const serveHead = (result: TokenTakeResult, now: number): boolean => {
    const node = queue.peek();
    if (node === undefined) return false;
    const head = node.value;
    if (result.granted) {
      dequeued(node);
      head.start();
      return true;
    }
    if (now + result.waitMs > head.deadline) {
      dequeued(node);
      head.reject(throttled(head.request, result.waitMs, `would wait past maxWaitMs (${maxWaitMs})`, now));
      return true;
    }
    timer = schedulerOf(config).schedule(drain, result.waitMs);
    return false;
  };

  const settle = (delta: number) => {
    if (tpmBucket) settleBucket(tpmBucket, delta);
  };
  /** Gives back (or charges) tokens, then lets the queue go on if that freed capacity. */
  const settleBucket = (bucket: TokenBucket & { readonly key: string }, delta: number) => {
    if (delta === 0) return;
    const reply = store.adjustTokens(bucket.key, bucket, delta, schedulerOf(config).now());
    const kick = () => {
      if (delta > 0 && queue.length > 0 && !draining) drain();
    };
    if (isObservable(reply)) reply.pipe(take(1)).subscribe({ next: kick, error: () => undefined });
    else kick();
  };
  const run = (request: InferenceRequest, takes: readonly TokenTake[]): Observable<InferenceResponse> => {
    if (!tpmBucket) return oneCall(model, request);
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
      const inner: Subscription = oneCall(model, request).subscribe({
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

  const enqueue = (request: InferenceRequest, takes: readonly TokenTake[], now: number, waitMs: number): Observable<InferenceResponse> =>
    new Observable<InferenceResponse>((subscriber) => {
      let inner: Subscription | undefined;
      const waiter: Waiter = {
        request,
        takes,
        deadline: now + maxWaitMs,
        start: () => (inner = run(request, takes).subscribe(subscriber)),
        reject: (error) => subscriber.error(error),
      };
      const node = queue.push(waiter);
      takes.forEach((t, i) => (queuedDemand[i] = queuedDemand[i]! + Math.min(t.amount, t.capacity)));
      events.emit({ type: 'throttled', time: now, requestId: request.id, key, waitMs, queued: true });
      events.emit({ type: 'queued', time: now, requestId: request.id, key, queueLength: queue.length });
      if (queue.length === 1 && !draining) timer = schedulerOf(config).schedule(drain, waitMs);
      return () => {
        const wasHead = queue.peek() === node;
        if (dequeued(node) && wasHead && !draining) drain();
        inner?.unsubscribe();
      };
    });

  const call = (request: InferenceRequest): Observable<InferenceResponse> => {
    const now = schedulerOf(config).now();
    const takes = demand(request);
    if (queue.length === 0) {
      return afterReply(store.takeTokens(takes, now), (result) => {
        if (result.granted) return run(request, takes);
        if (config.mode === 'reject') return throwError(() => throttled(request, result.waitMs, 'no capacity', now));
        if (result.waitMs > maxWaitMs) return throwError(() => throttled(request, result.waitMs, `would wait past maxWaitMs (${maxWaitMs})`, now));
        if (maxQueue === 0) return throwError(() => throttled(request, result.waitMs, 'queue is full', now));
        return enqueue(request, takes, now, result.waitMs);
      });
    }
    if (queue.length >= maxQueue) return throwError(() => throttled(request, 0, 'queue is full', now));
    const peek = takes.map((t) => ({ ...t, amount: 0 }));
    return afterReply(store.takeTokens(peek, now), (levels) => {
      let waitMs = 0;
      takes.forEach((t, i) => {
        const missing = queuedDemand[i]! + Math.min(t.amount, t.capacity) - levels.remaining[i]!;
        if (missing > 0) waitMs = Math.max(waitMs, Math.ceil((missing * t.refillMs) / t.capacity - 1e-9));
      });
      if (waitMs > maxWaitMs) return throwError(() => throttled(request, waitMs, `would wait past maxWaitMs (${maxWaitMs})`, now));
      return enqueue(request, takes, now, waitMs);
    });
  };

  return (source) => source.pipe(mergeMap(call));
}
