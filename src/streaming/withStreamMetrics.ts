import { defer, of, tap, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import type { EventBus } from '../core/events.js';
import type { StreamingModel } from '../core/stream.js';
import { perStream } from './internal/perStream.js';
import { sameModelId } from './internal/streamingModelId.js';

/** Options of {@link withStreamMetrics}. */
export interface StreamMetricsConfig {
  /** Receives `first-token` and `stream-completed` events. */
  readonly events: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * Reports how a stream flowed, leaving its events untouched: a `first-token`
 * event (time to first token, from the request) at the first delta, and a
 * `stream-completed` event (output tokens per second, from the first token to
 * completion; over the whole call when both came in one instant) at the end.
 * Stalls are reported by {@link withStallTimeout}; {@link streamStats} sums all three.
 *
 * ```text
 * a:       --d-d-d(C|)       C.usage.outputTokens = 3
 * events:  --f----s          f: ttftMs 2    s: tokensPerSecond 3 * 1000 / 4 = 750
 * ```
 *
 * @example
 * ```ts
 * const bus = createEventBus();
 * const m = withStreamMetrics(bedrock.streamingModel('amazon.nova-lite-v1:0'), { events: bus });
 * streamStats(bus.events$).subscribe((s) => log(s.ttftMeanMs));
 * ```
 */
export function withStreamMetrics(model: StreamingModel, config: StreamMetricsConfig): StreamingModel {
  if (typeof model !== 'function') throw new TypeError('withStreamMetrics: model must be a StreamingModel (an operator function)');
  if (config === null || typeof config !== 'object' || typeof config.events?.emit !== 'function') throw new TypeError('withStreamMetrics: events must be an EventBus');
  const { events } = config;
  const scheduler = schedulerOf(config);

  return sameModelId(
    perStream((request) =>
      defer(() => {
        const started = scheduler.now();
        let firstAt: number | undefined;
        return of(request).pipe(
          model,
          tap((event) => {
            const time = scheduler.now();
            if (event.type === 'delta' && firstAt === undefined) {
              firstAt = time;
              events.emit({ type: 'first-token', time, requestId: request.id, modelId: event.modelId, ttftMs: time - started });
            } else if (event.type === 'completed') {
              const { modelId, usage } = event.response;
              const ms = time - (firstAt ?? started) || time - started;
              events.emit({ type: 'stream-completed', time, requestId: request.id, modelId, tokensPerSecond: ms > 0 ? (usage.outputTokens * 1000) / ms : 0 });
            }
          }),
        );
      }),
    ),
    model,
  );
}
