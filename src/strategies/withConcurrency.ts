import { defer, finalize, Observable, throwError, type SchedulerLike, type Subscription } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { modelFromCall } from '../core/modelCall.js';
import type { InferenceRequest } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';
import { checkNumber } from './internal/checkOption.js';
import { instanceKey } from './internal/instanceKey.js';
import { LinkedQueue } from './internal/linkedQueue.js';
import { callModel } from '../core/modelCall.js';

/** Options of {@link withConcurrency}. */
export interface ConcurrencyConfig {
  /** Most requests waiting for a slot; past it, `queue-full`. Default 1,000. */
  readonly maxQueue?: number;
  /** Names the bulkhead in `queued` events. Default: one per wrapper instance. */
  readonly key?: string;
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * A bulkhead: at most `limit` calls to `model` in flight; later requests wait
 * in a bounded FIFO queue (O(1), a waiter that unsubscribes leaves it at
 * once) and past `maxQueue` fail with `queue-full`. A call that ends in any
 * way, including unsubscription, frees its slot for the next waiter.
 *
 * ```text
 * limit: 1, maxQueue: 1
 * requests: (abc)
 * model:    a: ---A|   b:    --B|
 * result:   c fails at once (queue-full); A at 3; B at 5
 * ```
 *
 * Emits: the model's response or error, `queue-full`. Events: `queued`.
 *
 * @example
 * ```ts
 * const bulkhead = withConcurrency(model, 8, { maxQueue: 100 });
 * ```
 */
export function withConcurrency(model: Model, limit: number, config: ConcurrencyConfig = {}): Model {
  checkNumber('withConcurrency', 'limit', limit, 1, true);
  const maxQueue = checkNumber('withConcurrency', 'maxQueue', config.maxQueue ?? 1_000, 0, true);
  const key = config.key ?? instanceKey('concurrency');
  const events = config.events ?? NO_EVENTS;
  const waiting = new LinkedQueue<() => void>();
  let active = 0;

  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) next();
  };
  const run = (request: InferenceRequest): Observable<InferenceResponse> => callModel(model, request).pipe(finalize(release));

  const call = (request: InferenceRequest) =>
    defer(() => {
      if (active < limit) {
        active++;
        return run(request);
      }
      if (waiting.length >= maxQueue) {
        return throwError(() => new ModelError('queue-full', `bulkhead ${key}: ${limit} in flight and ${waiting.length} waiting`, { requestId: request.id }));
      }
      return new Observable<InferenceResponse>((subscriber) => {
        let inner: Subscription | undefined;
        const node = waiting.push(() => {
          active++;
          inner = run(request).subscribe(subscriber);
        });
        events.emit({ type: 'queued', time: schedulerOf(config).now(), requestId: request.id, key, queueLength: waiting.length });
        return () => {
          waiting.remove(node);
          inner?.unsubscribe();
        };
      });
    });

  return modelFromCall(call);
}
