import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { toModelError, type ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import type { Attempt, InferenceResponse } from '../core/response.js';
import { backoff, type BackoffConfig } from './backoff.js';
import { callModel, modelFromCall } from '../core/modelCall.js';
import { seededRandom } from './seededRandom.js';
import { errorWithTrail, failureTrail, modelIdOf, withTrail } from './internal/trail.js';

/** Seed of the default jitter source, so retries are reproducible run to run. */
const DEFAULT_SEED = 0x5eed;

/** Options of {@link withRetry}. */
export interface RetryConfig {
  /** Retries after the first try (0 = no retry). */
  readonly count: number;
  /** Delay schedule; missing fields default to 100 ms doubling up to 10 s with full jitter. */
  readonly backoff?: Partial<BackoffConfig>;
  /** Narrows which retriable errors are retried (`retry` is 1-based). Non-retriable errors never are. */
  readonly retryOn?: (error: ModelError, retry: number) => boolean;
  /** Jitter source in `[0, 1)`; default a seeded PRNG, so runs are reproducible. */
  readonly random?: () => number;
  /** Receives a `retry` event (attempt, delayMs, errorKind) before each wait. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * Asks the same model again after a retriable error, waiting an exponential,
 * jittered backoff, and at least the error's `retryAfterMs`, timed on the
 * scheduler.
 *
 * ```text
 * backoff { initialMs: 10, factor: 2, jitter: 'none' }, count 2
 * model:    --#                      (throttled)
 *                       --#          (throttled)
 *                                         --r|
 * withRetry: -----------------------------r|     waits 10, then 20
 * ```
 *
 * Emits the response (its `attempts` list the failed tries first); or the last
 * error, carrying every attempt when more than one try was made. Errors that
 * are not `retriable` (validation, access-denied, quota-exceeded, …) are
 * rethrown at once.
 *
 * @example
 * ```ts
 * const m = withRetry(nova, { count: 3, backoff: { initialMs: 200, jitter: 'equal' } }); // or withRetry(nova, 3)
 * ```
 * @see backoff
 */
export function withRetry(model: Model, config: number | RetryConfig): Model {
  const c: RetryConfig = typeof config === 'number' ? { count: config } : config;
  if (typeof model !== 'function') throw new TypeError('withRetry: model must be a Model (an operator function)');
  if (!Number.isInteger(c?.count) || c.count < 0) throw new TypeError(`withRetry: count must be a non-negative integer, got ${String(c?.count)}`);
  if (c.retryOn !== undefined && typeof c.retryOn !== 'function') throw new TypeError('withRetry: retryOn must be a function');
  if (c.random !== undefined && typeof c.random !== 'function') throw new TypeError('withRetry: random must be a function');
  const delayOf = backoff(c.backoff, 'withRetry: backoff');
  const random = c.random ?? seededRandom(DEFAULT_SEED);
  const retryOn = c.retryOn ?? (() => true);
  const events = c.events ?? NO_EVENTS;
  const scheduler = schedulerOf(c);
  const id = modelIdOf(model, 'withRetry');

  // Hand-written rather than RxJS `retry({ delay })`: this runs for every request and must cost little.
  return modelFromCall(
    (request) =>
      new Observable<InferenceResponse>((subscriber) => {
        const start = scheduler.now();
        const trail: Attempt[] = [];
        let tries = 0;
        let current: Subscription | undefined;
        let waiting: Subscription | undefined;
        const fail = (error: ModelError) => subscriber.error(tries > 1 ? errorWithTrail(error, trail) : error);
        const attempt = () => {
          const began = tries === 0 ? start : scheduler.now();
          tries++;
          const sub = callModel(model, request).subscribe({
            next: (response) => subscriber.next(withTrail(response, trail, scheduler.now() - start)),
            error: (raw: unknown) => {
              const error = toModelError(raw, { requestId: request.id });
              trail.push(...failureTrail(error, id, scheduler.now() - began));
              const n = tries; // the retry this would be (1-based)
              if (n > c.count || !error.retriable || !retryOn(error, n)) return fail(error);
              const delayMs = Math.max(delayOf(n, random), error.retryAfterMs ?? 0);
              events.emit({
                type: 'retry', time: scheduler.now(), requestId: request.id, attempt: n, delayMs, errorKind: error.kind,
                ...(error.modelId === undefined ? {} : { modelId: error.modelId }),
              });
              waiting = scheduler.schedule(attempt, delayMs);
            },
            complete: () => subscriber.complete(),
          });
          // An attempt that failed at once has already scheduled the next one: keep only a live subscription.
          if (!sub.closed) current = sub;
        };
        attempt();
        return () => {
          waiting?.unsubscribe();
          current?.unsubscribe();
        };
      }),
  );
}
