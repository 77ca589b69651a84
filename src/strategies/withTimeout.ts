import { Observable, throwError, type SchedulerLike, type Subscription } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError } from '../core/errors.js';
import type { Model } from '../core/model.js';
import type { InferenceRequest } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';
import { callModel, modelFromCall } from '../core/modelCall.js';
import { modelIdOf } from './internal/trail.js';

/** Options of {@link withTimeout}, as RxJS `timeout`'s. */
export interface TimeoutConfig {
  /** Milliseconds the response may take. */
  readonly first?: number;
  /** Milliseconds allowed between values (for a model, its single response: the limit when `first` is absent). */
  readonly each?: number;
  /** What to answer instead when time is up (default: fail with a `timeout` ModelError). */
  readonly with?: (request: InferenceRequest) => Observable<InferenceResponse>;
  readonly scheduler?: SchedulerLike;
}

function checkMs(name: string, value: number | undefined): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
    throw new TypeError(`withTimeout: ${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
}

/**
 * Fails a request with a `timeout` ModelError (retriable, fallback allowed)
 * when the model has not answered in time, unsubscribing the model's call so
 * its HTTP request is aborted.
 *
 * ```text
 * model:       ------r|
 * withTimeout(m, 4):
 *              ----#          (timeout)
 * model sub:   ^---!
 * ```
 *
 * @example
 * ```ts
 * const m = withTimeout(claude, { first: 8_000, with: (req) => invoke(nova, req) }); // or withTimeout(claude, 8_000)
 * ```
 * @see withRetry
 */
export function withTimeout(model: Model, config: number | TimeoutConfig): Model {
  const c: TimeoutConfig = typeof config === 'number' ? { first: config } : config;
  if (typeof model !== 'function') throw new TypeError('withTimeout: model must be a Model (an operator function)');
  if (typeof c !== 'object' || c === null) throw new TypeError('withTimeout: give a number of milliseconds or { first, each }');
  checkMs(typeof config === 'number' ? 'ms' : 'first', c.first);
  checkMs('each', c.each);
  if (c.first === undefined && c.each === undefined) throw new TypeError('withTimeout: give first or each (milliseconds)');
  if (c.with !== undefined && typeof c.with !== 'function') throw new TypeError('withTimeout: with must be a function');
  const scheduler = schedulerOf(c);
  const id = modelIdOf(model, 'withTimeout');
  const limit = c.first ?? c.each!;

  const expired = (request: InferenceRequest): Observable<InferenceResponse> =>
    c.with ? c.with(request) : throwError(() => new ModelError('timeout', `${id}: no answer within ${limit} ms`, { modelId: id, requestId: request.id, source: 'withTimeout' }));

  // Hand-written rather than RxJS `timeout`: this runs for every request and must cost little.
  return modelFromCall(
    (request) =>
      new Observable<InferenceResponse>((subscriber) => {
        let inner: Subscription | undefined;
        const expire = () => {
          inner?.unsubscribe();
          inner = undefined;
          try {
            expired(request).subscribe(subscriber); // its teardown joins the subscriber's
          } catch (error) {
            subscriber.error(error);
          }
        };
        let timer: Subscription = scheduler.schedule(expire, limit);
        inner = callModel(model, request).subscribe({
          next: (response) => {
            timer.unsubscribe();
            if (c.each !== undefined) timer = scheduler.schedule(expire, c.each);
            subscriber.next(response);
          },
          error: (error: unknown) => {
            timer.unsubscribe();
            subscriber.error(error);
          },
          complete: () => {
            timer.unsubscribe();
            subscriber.complete();
          },
        });
        return () => {
          timer.unsubscribe();
          inner?.unsubscribe();
        };
      }),
  );
}
