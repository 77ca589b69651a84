import { Observable, Subscription, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { toModelError, type ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import type { Attempt } from '../core/response.js';
import { allFailed } from './internal/allFailed.js';
import { callModel, modelFromCall } from '../core/modelCall.js';
import { cancelledAttempt, failureTrail, modelIdOf, withTrail } from './internal/trail.js';

/** Options of {@link hedge}. */
export interface HedgeConfig {
  /**
   * Start another attempt when none has answered this many milliseconds after
   * the last one started (an answer due in the same scheduler turn as the
   * deadline still wins).
   */
  readonly after: number;
  /**
   * Most attempts in flight at once. With one model it is also the total number
   * of attempts; with a list, each model is tried at most once. Default: 2 for
   * one model, the list's length otherwise.
   */
  readonly max?: number;
  /** Receives a `hedge-fired` event (attempt number, model) for each extra attempt. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * Hedged requests: when no attempt has answered within `after` ms, starts
 * another (the same model again, or the next of `models`); a failure starts the
 * next one at once. The first success wins and every other attempt is
 * unsubscribed in the same frame.
 *
 * ```text
 * hedge([a, b], { after: 3 })
 * a:      ------r|        a's sub: ^----!
 * b:         --r|         b's sub:    ^-!
 * hedge:  -----r|         attempts: a cancelled, b success
 * ```
 *
 * Emits the winner (its `attempts`: the failed and cancelled attempts, then its
 * own); or, when every attempt failed, an `all-failed` ModelError with all of them.
 *
 * @example
 * ```ts
 * const m = hedge(nova, { after: 800, max: 2 }); // p99 latency cut for at most 2x the calls
 * ```
 */
export function hedge(model: Model | readonly Model[], config: HedgeConfig): Model {
  const models: readonly Model[] = Array.isArray(model) ? model : [model as Model];
  if (models.length === 0 || models.some((m) => typeof m !== 'function')) throw new TypeError('hedge: models must be one or more Models');
  const after = config?.after;
  if (typeof after !== 'number' || !Number.isFinite(after) || after < 0) throw new TypeError(`hedge: after must be a non-negative number, got ${String(after)}`);
  const max = config.max ?? (Array.isArray(model) ? models.length : 2);
  if (!Number.isInteger(max) || max < 1) throw new TypeError(`hedge: max must be a positive integer, got ${String(max)}`);
  const total = Array.isArray(model) ? models.length : max;
  const events = config.events ?? NO_EVENTS;
  const scheduler = schedulerOf(config);
  const ids = models.map((m, i) => modelIdOf(m, `hedge[${i}]`));

  return modelFromCall(
    (request) =>
      new Observable((subscriber) => {
        const start = scheduler.now();
        const running = new Map<number, { subscription: Subscription; began: number }>();
        const trails: Attempt[][] = [];
        const errors: ModelError[] = [];
        const clock = new Subscription();
        let started = 0;
        let done = false;

        const launch = (): void => {
          const n = started++;
          const m = n % models.length;
          if (n > 0) events.emit({ type: 'hedge-fired', time: scheduler.now(), requestId: request.id, attempt: n + 1, modelId: ids[m]! });
          const entry = { subscription: new Subscription(), began: scheduler.now() };
          running.set(n, entry);
          trails[n] = [];
          entry.subscription.add(
            callModel(models[m]!, request).subscribe({
              next: (response) => {
                if (done) return;
                done = true;
                running.delete(n);
                for (const [k, other] of running) {
                  other.subscription.unsubscribe();
                  trails[k] = [cancelledAttempt(ids[k % models.length]!, scheduler.now() - other.began)];
                }
                running.clear();
                clock.unsubscribe();
                const prior = trails.filter((_t, k) => k !== n).flat();
                subscriber.next(withTrail(response, prior, scheduler.now() - start));
                subscriber.complete();
              },
              error: (raw: unknown) => {
                if (done) return;
                const error = toModelError(raw, { requestId: request.id });
                running.delete(n);
                errors.push(error);
                trails[n] = [...failureTrail(error, ids[m]!, scheduler.now() - entry.began)];
                // a failure starts the next attempt at once (the clock restarts with it)
                if (started < total) launch();
                else if (running.size === 0) {
                  done = true;
                  clock.unsubscribe();
                  subscriber.error(allFailed('hedge', request.id, trails.flat(), errors));
                }
              },
            }),
          );
          if (!done && started < total) arm();
        };

        let tick: Subscription | undefined;
        const fire = (): void => {
          if (!done && started < total && running.size < max) launch();
        };
        const arm = (): void => {
          tick?.unsubscribe();
          // `after` ms, then one more turn of the scheduler: an answer already
          // due in the turn the deadline passes wins instead of starting a
          // hedge (on Node, a reply waiting behind a busy event loop is read in
          // the poll phase, after the timers phase that fires the deadline).
          tick = scheduler.schedule(() => {
            tick = scheduler.schedule(fire);
            clock.add(tick);
          }, after);
          clock.add(tick);
        };

        launch();
        return () => {
          done = true;
          clock.unsubscribe();
          for (const entry of running.values()) entry.subscription.unsubscribe();
        };
      }),
  );
}
