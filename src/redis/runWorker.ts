import { catchError, defer, finalize, map, mergeMap, NEVER, of, takeUntil, type Observable } from 'rxjs';
import type { Model } from '../core/model.js';
import type { Outcome } from '../core/outcome.js';
import type { InferenceRequest } from '../core/request.js';
import { orchestrate } from '../stream/orchestrate.js';
import { fromRedisStream } from './fromRedisStream.js';
import type { RedisStreamConfig } from './redisStreamConfig.js';

/** Options of {@link runWorker}: a stream to consume and a model to run its requests through. */
export interface WorkerConfig extends Omit<RedisStreamConfig, 'maxInFlight'> {
  readonly model: Model;
  /** Requests run at once (and the most entries this worker holds unacknowledged). Default 16. */
  readonly concurrency?: number;
  /** One deadline per request, for everything the model does (a `timeout` result past it). */
  readonly deadlineMs?: number;
  /** A label for events. */
  readonly strategy?: string;
  /** Stop reading when this emits: requests in flight finish and are stored, then the worker completes. */
  readonly stop$?: Observable<unknown>;
}

/** What a worker did with one delivery. */
export interface WorkerResult {
  readonly requestId: string;
  readonly entryId: string;
  readonly outcome: Outcome;
  /** True when this result was stored; false when one already was, or when storing failed (`storeError`). */
  readonly stored: boolean;
  readonly reclaimed: boolean;
  /** Why the result could not be stored (the entry stays pending and will be reclaimed). */
  readonly storeError?: string;
}

/**
 * A worker of a Redis Streams consumer group: reads requests with
 * {@link fromRedisStream}, runs each through `model` with `orchestrate`
 * (exactly one outcome per request: a response or a typed error), stores the
 * result under the request id and only then acknowledges the entry. At most
 * `concurrency` requests run and are held unacknowledged; a worker that dies
 * leaves its entries pending, and another claims them after
 * `visibilityTimeoutMs`; a request whose result exists is never run or
 * stored twice. When `stop$` emits, reading stops, requests in flight finish
 * and the Observable completes; unsubscribing instead cancels them (their
 * entries stay pending, for another worker).
 *
 * ```text
 * stream:   a b c d ...
 * model:    --A --B --C --D
 * results:  --a --b --c --d      (each emitted once stored and XACKed)
 * stop$:    ------x
 * output:   ... all in flight at x finish, then |
 * ```
 *
 * @example
 * ```ts
 * runWorker({ redis, stream: 'requests', group: 'workers', consumer: `w-${process.pid}`, model, concurrency: 32, stop$: fromEvent(process, 'SIGTERM') })
 *   .subscribe((r) => r.stored || duplicates.push(r.requestId));
 * ```
 */
export function runWorker(config: WorkerConfig): Observable<WorkerResult> {
  const concurrency = config.concurrency ?? 16;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new TypeError(`runWorker: concurrency must be a positive integer, got ${String(concurrency)}`);
  if (typeof config.model !== 'function') throw new TypeError('runWorker: model must be a Model (an operator function)');
  const { model, deadlineMs, strategy, events, scheduler } = config;
  const deliveries$ = fromRedisStream({ ...config, batch: config.batch ?? concurrency, maxInFlight: concurrency });
  const run = orchestrate(model, { concurrency: 1, deadlineMs, strategy, events, scheduler });
  return defer(() =>
    deliveries$.pipe(
      takeUntil(config.stop$ ?? NEVER),
      mergeMap(
        (delivery) =>
          of(delivery.request as InferenceRequest).pipe(
            run,
            mergeMap((outcome) => {
              const result = { requestId: delivery.requestId, entryId: delivery.entryId, outcome, reclaimed: delivery.reclaimed };
              return delivery.ack(outcome).pipe(
                map((stored): WorkerResult => ({ ...result, stored })),
                catchError((error: unknown) => of<WorkerResult>({ ...result, stored: false, storeError: error instanceof Error ? error.message : String(error) })),
              );
            }),
            finalize(() => delivery.release()),
          ),
        concurrency,
      ),
    ),
  );
}
