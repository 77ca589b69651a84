import { defer, map, of, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { StreamEvent, StreamingModel } from '../core/stream.js';
import { checkOptionalNumber } from './internal/checkOption.js';
import { perStream } from './internal/perStream.js';
import { sameModelId, streamingModelId } from './internal/streamingModelId.js';

/** Options of {@link withStreamBudget}; give `maxOutputTokens`, `maxUsd` (with `pricePer1kOutput`), or both. */
export interface StreamBudgetConfig {
  /** Most output tokens one stream may produce. */
  readonly maxOutputTokens?: number;
  /** Most USD of output one stream may cost. */
  readonly maxUsd?: number;
  /** Price of 1,000 output tokens in USD; needed with `maxUsd`. */
  readonly pricePer1kOutput?: number;
  /** Tokens in one delta's text. Default 1: Bedrock streams (and the emulator) send about a token per delta. */
  readonly tokensOf?: (text: string) => number;
  /** Names the budget in the `budget-exceeded` event. Default: the model's id. */
  readonly key?: string;
  /** Receives a `budget-exceeded` event (key, spent USD and tokens) for every stream stopped. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * Stops a stream mid-way before it exceeds its budget: the delta that would
 * cross `maxOutputTokens` or `maxUsd` is withheld, the stream is unsubscribed
 * (its HTTP request aborted, so billing stops) and the request fails with a
 * `budget-exceeded` ModelError (`source: 'stream-budget'`). The budget is per
 * stream and counts every delta billed, including text a `reset` discarded.
 *
 * ```text
 * withStreamBudget(a, { maxOutputTokens: 2 })
 * a:       -x-y-z(C|)     a's sub: ^----!
 * result:  -x-y-#         (budget-exceeded: z would be the third token)
 * ```
 *
 * @example
 * ```ts
 * const m = withStreamBudget(claude, { maxUsd: 0.05, pricePer1kOutput: 0.015 });
 * ```
 */
export function withStreamBudget(model: StreamingModel, config: StreamBudgetConfig): StreamingModel {
  if (typeof model !== 'function') throw new TypeError('withStreamBudget: model must be a StreamingModel (an operator function)');
  if (config === null || typeof config !== 'object') throw new TypeError('withStreamBudget: config must be an object');
  const maxTokens = checkOptionalNumber('withStreamBudget', 'maxOutputTokens', config.maxOutputTokens, 0, true);
  const maxUsd = checkOptionalNumber('withStreamBudget', 'maxUsd', config.maxUsd, 0);
  const price = checkOptionalNumber('withStreamBudget', 'pricePer1kOutput', config.pricePer1kOutput, 0);
  if (maxTokens === undefined && maxUsd === undefined) throw new TypeError('withStreamBudget: give maxOutputTokens, maxUsd or both');
  if (maxUsd !== undefined && price === undefined) throw new TypeError('withStreamBudget: pricePer1kOutput is needed with maxUsd');
  if (config.tokensOf !== undefined && typeof config.tokensOf !== 'function') throw new TypeError('withStreamBudget: tokensOf must be a function');
  const tokensOf = config.tokensOf ?? (() => 1);
  const events = config.events ?? NO_EVENTS;
  const scheduler = schedulerOf(config);
  const key = config.key ?? streamingModelId(model, 'withStreamBudget');
  const usd = (tokens: number) => (price === undefined ? 0 : (tokens / 1000) * price);

  return sameModelId(
    perStream((request) =>
      defer(() => {
        let tokens = 0;
        return of(request).pipe(
          model,
          map((event: StreamEvent) => {
            if (event.type !== 'delta') return event;
            const next = tokens + tokensOf(event.text);
            const over = maxTokens !== undefined && next > maxTokens ? `${maxTokens} output tokens` : maxUsd !== undefined && usd(next) > maxUsd ? `${maxUsd} USD` : undefined;
            if (over !== undefined) {
              events.emit({ type: 'budget-exceeded', time: scheduler.now(), requestId: request.id, key, spentUsd: usd(tokens), spentTokens: tokens });
              throw new ModelError('budget-exceeded', `${event.modelId}: stream stopped at ${tokens} tokens, the next delta would exceed ${over}`, { modelId: event.modelId, requestId: request.id, source: 'stream-budget' });
            }
            tokens = next;
            return event;
          }),
        );
      }),
    ),
    model,
  );
}
