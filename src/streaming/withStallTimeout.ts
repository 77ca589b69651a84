import { of, tap, throwError, timeout, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { StreamingModel } from '../core/stream.js';
import { checkNumber, checkOptionalNumber } from './internal/checkOption.js';
import { perStream } from './internal/perStream.js';
import { sameModelId, streamingModelId } from './internal/streamingModelId.js';

/** Options of {@link withStallTimeout}. */
export interface StallTimeoutConfig {
  /** Most ms from the request to the first event. Default: `betweenTokensMs`. */
  readonly firstTokenMs?: number;
  /** Most ms of silence between two events. Default: no limit once the first event arrived. */
  readonly betweenTokensMs?: number;
  /** Receives a `stream-stalled` event (model, silent ms) for every stream cut. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * Cuts a stream that goes silent: unsubscribes it (aborting its HTTP request)
 * and fails with a `timeout` ModelError (`source: 'stream-stalled'`), so a
 * {@link streamFallback} around it moves on. A number sets both limits.
 *
 * ```text
 * withStallTimeout(a, { firstTokenMs: 3, betweenTokensMs: 2 })
 * a:       --a-b------      a's sub: ^------!
 * result:  --a-b--#         (timeout: 2 ms without a token after b)
 * ```
 *
 * @example
 * ```ts
 * const m = streamFallback(withStallTimeout(claude, { firstTokenMs: 5000, betweenTokensMs: 2000 }), nova, { policy: 'continue' });
 * ```
 * @see streamFallback
 */
export function withStallTimeout(model: StreamingModel, config: number | StallTimeoutConfig): StreamingModel {
  if (typeof model !== 'function') throw new TypeError('withStallTimeout: model must be a StreamingModel (an operator function)');
  const options: StallTimeoutConfig = typeof config === 'number' ? { firstTokenMs: config, betweenTokensMs: config } : config ?? {};
  const between = checkOptionalNumber('withStallTimeout', 'betweenTokensMs', options.betweenTokensMs, 1);
  const first = options.firstTokenMs === undefined ? between : checkNumber('withStallTimeout', 'firstTokenMs', options.firstTokenMs, 1);
  if (first === undefined) throw new TypeError('withStallTimeout: give firstTokenMs, betweenTokensMs or both');
  const events = options.events ?? NO_EVENTS;
  const scheduler = schedulerOf(options);
  const id = streamingModelId(model, 'withStallTimeout');

  return sameModelId(perStream((request) => {
    let seenId: string | undefined; // the id the deltas carry, for a model that does not advertise one
    return of(request).pipe(
      model,
      tap((event) => {
        if (event.type === 'delta') seenId = event.modelId;
      }),
      timeout({
        first,
        ...(between === undefined ? {} : { each: between }),
        scheduler,
        with: ({ seen }) => {
          const modelId = seenId ?? id;
          const silentMs = seen === 0 ? first : between!;
          events.emit({ type: 'stream-stalled', time: scheduler.now(), requestId: request.id, modelId, silentMs });
          const what = seen === 0 ? 'no first token' : `no token after ${seen} events`;
          return throwError(() => new ModelError('timeout', `${modelId}: stream stalled: ${what} for ${silentMs} ms`, { modelId, requestId: request.id, source: 'stream-stalled' }));
        },
      }),
    );
  }), model);
}
