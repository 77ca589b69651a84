import { Observable, of, Subscription, timer, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError, toModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Attempt } from '../core/response.js';
import type { StreamEvent, StreamingModel } from '../core/stream.js';
import { allStreamsFailed } from './internal/allStreamsFailed.js';
import { checkModels, checkNumber } from './internal/checkOption.js';
import { perStream } from './internal/perStream.js';
import { streamingModelId } from './internal/streamingModelId.js';

/** Options of {@link hedgeFirstToken}. */
export interface HedgeFirstTokenConfig {
  /** Start another attempt when none has produced a token this many ms after the last one started. */
  readonly after: number;
  /** With one model: how many attempts in all (default 2). With a list, each model is tried once. */
  readonly max?: number;
  /** Receives a `hedge-fired` event (attempt number, model) for each extra attempt. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * Races streams on their first token: when no attempt has produced a token
 * within `after` ms of the last start, starts the next (the same model again,
 * or the next of `models`); a failure before any token starts the next at
 * once. The first attempt to produce a token (or to complete) wins the whole
 * stream: every other attempt is unsubscribed in that frame (their HTTP
 * requests aborted, their billing stopped), and the consumer only ever sees
 * the winner's events.
 *
 * ```text
 * hedgeFirstToken([a, b], { after: 2 })
 * a:       -----a-b(C|)     a's sub: ^---!
 * b:         --x-y(C|)      b's sub:   ^-----!
 * result:  ----x-y(C|)      C.attempts: a cancelled, b success
 * ```
 *
 * Emits the winner's events (an error after its first token is final); or,
 * when every attempt failed before a token, an `all-failed` ModelError with
 * all of them.
 *
 * @example
 * ```ts
 * const m = hedgeFirstToken([nova, novaOtherRegion], { after: 400 }); // p99 time to first token cut, few extra calls
 * ```
 * @see streamFallback
 */
export function hedgeFirstToken(model: StreamingModel | readonly StreamingModel[], config: HedgeFirstTokenConfig): StreamingModel {
  const list = Array.isArray(model);
  const models: readonly StreamingModel[] = list ? model : [model as StreamingModel];
  checkModels('hedgeFirstToken', 'models', models);
  if (config === null || typeof config !== 'object') throw new TypeError('hedgeFirstToken: config must be an object with `after`');
  const after = checkNumber('hedgeFirstToken', 'after', config.after, 0);
  const total = list ? models.length : checkNumber('hedgeFirstToken', 'max', config.max ?? 2, 1, true);
  const events = config.events ?? NO_EVENTS;
  const scheduler = schedulerOf(config);
  const ids = models.map((m, i) => streamingModelId(m, `hedgeFirstToken[${i}]`));

  return perStream(
    (request) =>
      new Observable<StreamEvent>((subscriber) => {
        const start = scheduler.now();
        const running = new Map<number, { readonly subscription: Subscription; readonly began: number }>();
        const trail: Attempt[] = [];
        const errors: ModelError[] = [];
        const clock = new Subscription();
        let started = 0;
        let winner: number | undefined;
        let tick: Subscription | undefined;

        const win = (n: number): void => {
          winner = n;
          clock.unsubscribe();
          for (const [k, other] of running) {
            if (k === n) continue;
            other.subscription.unsubscribe();
            trail.push({ modelId: ids[k % models.length]!, outcome: 'cancelled', latencyMs: scheduler.now() - other.began });
          }
        };

        const fail = (n: number, error: ModelError): void => {
          const latencyMs = scheduler.now() - running.get(n)!.began;
          running.delete(n);
          errors.push(error);
          trail.push(...(error.attempts ?? [{ modelId: error.modelId ?? ids[n % models.length]!, outcome: 'failure' as const, errorKind: error.kind, latencyMs }]));
          if (started < total) launch();
          else if (running.size === 0) {
            clock.unsubscribe();
            subscriber.error(allStreamsFailed('hedgeFirstToken', request.id, trail, errors));
          }
        };

        const launch = (): void => {
          const n = started++;
          const id = ids[n % models.length]!;
          if (n > 0) events.emit({ type: 'hedge-fired', time: scheduler.now(), requestId: request.id, attempt: n + 1, modelId: id });
          const entry = { subscription: new Subscription(), began: scheduler.now() };
          running.set(n, entry);
          entry.subscription.add(
            of(request).pipe(models[n % models.length]!).subscribe({
              next: (event) => {
                if (winner === undefined) {
                  if (event.type === 'reset') return; // nothing shown yet, nothing to discard
                  win(n);
                }
                if (event.type !== 'completed') subscriber.next(event);
                else subscriber.next({ type: 'completed', response: { ...event.response, latencyMs: scheduler.now() - start, attempts: [...trail, ...event.response.attempts] } });
              },
              error: (raw: unknown) => {
                const error = toModelError(raw, { modelId: id, requestId: request.id });
                if (winner === n) subscriber.error(error);
                else fail(n, error);
              },
              complete: () => {
                if (winner === n) subscriber.complete();
                else fail(n, new ModelError('invalid-output', `${id}: stream ended without an answer`, { modelId: id, requestId: request.id }));
              },
            }),
          );
          if (winner === undefined && started < total && running.has(n)) arm();
        };

        const arm = (): void => {
          tick?.unsubscribe(); // a failure launched early: the clock restarts from the new attempt
          tick = timer(after, scheduler).subscribe(() => {
            if (winner === undefined && started < total) launch();
          });
          clock.add(tick);
        };

        launch();
        return () => {
          clock.unsubscribe();
          for (const entry of running.values()) entry.subscription.unsubscribe();
        };
      }),
  );
}
