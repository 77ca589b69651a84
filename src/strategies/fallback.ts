import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { toModelError, type ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import type { Attempt, InferenceResponse } from '../core/response.js';
import { allFailed } from './internal/allFailed.js';
import { callModel, modelFromCall } from '../core/modelCall.js';
import { failureTrail, modelIdOf, withTrail } from './internal/trail.js';

/** Options of {@link fallback}. */
export interface FallbackConfig {
  /** Which errors move on to the next model. Default: the error's own `fallback` flag. */
  readonly on?: (error: ModelError) => boolean;
  /** Receives a `fallback` event (from, to, reason) each time the next model is tried. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * Tries each model in turn, moving on (at once, throttling included) when one
 * fails with an error that allows a fallback. The response's `attempts` hold
 * every failure before it.
 *
 * ```text
 * a:        --#                 (throttled)
 * b:          ---#              (timeout)
 * c:             -r|
 * fallback: ------r|            attempts: a failure, b failure, c success
 * ```
 *
 * Emits the first success; a `validation` (or any non-fallback) error as is;
 * or, when every model failed, an `all-failed` ModelError carrying every
 * attempt, `retriable` when any of the errors was.
 *
 * @example
 * ```ts
 * const m = fallback(claude, nova, { on: (e) => e.kind !== 'access-denied' }); // or fallback([claude, nova], config)
 * ```
 * @see withRetry
 */
export function fallback(...models: Model[]): Model;
export function fallback(models: readonly Model[], config?: FallbackConfig): Model;
export function fallback(first: Model | readonly Model[], ...rest: unknown[]): Model {
  const models = (Array.isArray(first) ? first : [first, ...rest]) as readonly Model[];
  const config = (Array.isArray(first) ? rest[0] ?? {} : {}) as FallbackConfig;
  if (models.length === 0) throw new TypeError('fallback: models must hold at least one model');
  models.forEach((m, i) => {
    if (typeof m !== 'function') throw new TypeError(`fallback: models[${i}] must be a Model (an operator function)`);
  });
  if (config.on !== undefined && typeof config.on !== 'function') throw new TypeError('fallback: on must be a function');
  const on = config.on ?? ((e: ModelError) => e.fallback);
  const events = config.events ?? NO_EVENTS;
  const scheduler = schedulerOf(config);
  const ids = models.map((m, i) => modelIdOf(m, `fallback[${i}]`));

  // Hand-written rather than catchError chains: this runs for every request and must cost little.
  return modelFromCall(
    (request) =>
      new Observable<InferenceResponse>((subscriber) => {
        const start = scheduler.now();
        const errors: ModelError[] = [];
        let trail: readonly Attempt[] = [];
        let current: Subscription | undefined;
        const tryFrom = (i: number) => {
          const began = i === 0 ? start : scheduler.now();
          const sub = callModel(models[i]!, request).subscribe({
            next: (response) => subscriber.next(withTrail(response, trail, scheduler.now() - start)),
            error: (raw: unknown) => {
              const error = toModelError(raw, { requestId: request.id });
              if (!on(error)) return subscriber.error(error);
              errors.push(error);
              trail = [...trail, ...failureTrail(error, ids[i]!, scheduler.now() - began)];
              if (i + 1 === models.length) return subscriber.error(allFailed('fallback', request.id, trail, errors));
              events.emit({ type: 'fallback', time: scheduler.now(), requestId: request.id, from: error.modelId ?? ids[i]!, to: ids[i + 1]!, reason: error.kind });
              tryFrom(i + 1);
            },
            complete: () => subscriber.complete(),
          });
          // A model that failed at once has already moved on: keep only a live subscription.
          if (!sub.closed) current = sub;
        };
        tryFrom(0);
        return () => current?.unsubscribe();
      }),
  );
}
