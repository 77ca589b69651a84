import { defer, tap, throwError, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { callModel, modelFromCall } from '../core/modelCall.js';
import type { InferenceRequest } from '../core/request.js';
import { MemoryStore } from '../state/memoryStore.js';
import type { Store } from '../state/store.js';
import { afterReply, fireAndForget } from '../state/storeReply.js';
import { checkNumber, checkOptionalNumber } from './internal/checkOption.js';
import { instanceKey } from './internal/instanceKey.js';

/** Options of {@link withBudget}: give `usd`, `tokens`, or both. */
export interface BudgetConfig {
  /** Most US dollars spent (responses' `costUsd`) over the rolling window. */
  readonly usd?: number;
  /** Most tokens billed (input + output) over the rolling window. */
  readonly tokens?: number;
  /** The rolling window's length. */
  readonly perMs: number;
  /** Where the spending is kept (share it across processes with a Redis store). Default: a private MemoryStore. */
  readonly store?: Store;
  /** The budget's key in the store. Default: one per wrapper instance. */
  readonly key?: string;
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * A spending cap over a rolling window: while what `model` billed in the last
 * `perMs` is at or past `usd` or `tokens`, requests fail with
 * `budget-exceeded` before the model is called. Spending is counted when a
 * response arrives, so calls already in flight may overshoot the cap by
 * their own cost. The window moves in slots (a MemoryStore's `budgetSlots`).
 *
 * ```text
 * tokens: 10, perMs: 100
 * requests: a---b-----...c      (a bills 12 tokens at 0)
 * result:   A---B               b fails: budget-exceeded;  c (after a's slot left the window) is served
 * ```
 *
 * Emits: the model's response or error, `budget-exceeded`. Events: `budget-exceeded`.
 *
 * @example
 * ```ts
 * const capped = withBudget(model, { usd: 5, perMs: 3_600_000, events: bus });
 * ```
 */
export function withBudget(model: Model, config: BudgetConfig): Model {
  const owner = 'withBudget';
  const usd = checkOptionalNumber(owner, 'usd', config.usd, 0);
  const tokens = checkOptionalNumber(owner, 'tokens', config.tokens, 0);
  if (usd === undefined && tokens === undefined) throw new TypeError(`${owner}: give usd or tokens`);
  const perMs = checkNumber(owner, 'perMs', config.perMs, 1);
  const store = config.store ?? new MemoryStore({ maxKeys: 16 });
  const key = config.key ?? instanceKey('budget');
  const events = config.events ?? NO_EVENTS;

  const call = (request: InferenceRequest) =>
    defer(() => {
      const scheduler = schedulerOf(config);
      const now = scheduler.now();
      return afterReply(store.budgetGet(key, perMs, now), (spent) => {
        if ((usd !== undefined && spent.usd >= usd) || (tokens !== undefined && spent.tokens >= tokens)) {
          events.emit({ type: 'budget-exceeded', time: now, requestId: request.id, key, spentUsd: spent.usd, spentTokens: spent.tokens });
          return throwError(
            () => new ModelError('budget-exceeded', `budget ${key}: spent $${spent.usd} and ${spent.tokens} tokens in the last ${perMs} ms`, { requestId: request.id }),
          );
        }
        return defer(() => callModel(model, request)).pipe(
          tap((r) =>
            fireAndForget(store.budgetAdd(key, { usd: r.costUsd ?? 0, tokens: r.usage.inputTokens + r.usage.outputTokens }, perMs, scheduler.now())),
          ),
        );
      });
    });

  return modelFromCall(call);
}
