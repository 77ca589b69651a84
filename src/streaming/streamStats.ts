import { filter, scan, type Observable } from 'rxjs';
import type { EventOf, RuntimeEvent } from '../core/events.js';

/** Running totals of streaming events (fixed-size state, whatever the number of streams). */
export interface StreamStats {
  /** `first-token` events seen. */
  readonly firstTokens: number;
  readonly ttftMeanMs: number;
  readonly ttftMaxMs: number;
  /** `stream-completed` events seen. */
  readonly completed: number;
  readonly tokensPerSecondMean: number;
  /** `stream-stalled` events seen. */
  readonly stalls: number;
}

export const NO_STREAM_STATS: StreamStats = { firstTokens: 0, ttftMeanMs: 0, ttftMaxMs: 0, completed: 0, tokensPerSecondMean: 0, stalls: 0 };

type StreamingEvent = EventOf<'first-token'> | EventOf<'stream-completed'> | EventOf<'stream-stalled'>;

const isStreamingEvent = (e: RuntimeEvent): e is StreamingEvent => e.type === 'first-token' || e.type === 'stream-completed' || e.type === 'stream-stalled';

/** `stats` with one more streaming event counted. */
export function addStreamEvent(stats: StreamStats, event: StreamingEvent): StreamStats {
  switch (event.type) {
    case 'first-token': {
      const n = stats.firstTokens + 1;
      return { ...stats, firstTokens: n, ttftMeanMs: stats.ttftMeanMs + (event.ttftMs - stats.ttftMeanMs) / n, ttftMaxMs: Math.max(stats.ttftMaxMs, event.ttftMs) };
    }
    case 'stream-completed': {
      const n = stats.completed + 1;
      return { ...stats, completed: n, tokensPerSecondMean: stats.tokensPerSecondMean + (event.tokensPerSecond - stats.tokensPerSecondMean) / n };
    }
    case 'stream-stalled':
      return { ...stats, stalls: stats.stalls + 1 };
  }
}

/**
 * Time to first token, tokens per second and stall counts, as a `scan` over
 * an event stream: a new {@link StreamStats} after each `first-token`,
 * `stream-completed` or `stream-stalled` event.
 *
 * ```text
 * events$:  -f--s--x-     f: first-token 40 ms   s: stream-completed 50 tok/s   x: stream-stalled
 * stats:    -a--b--c-     c: { firstTokens: 1, ttftMeanMs: 40, completed: 1, tokensPerSecondMean: 50, stalls: 1, … }
 * ```
 *
 * @example
 * ```ts
 * streamStats(bus.events$).subscribe((s) => gauge.set(s.ttftMeanMs));
 * ```
 * @see withStreamMetrics
 */
export function streamStats(events$: Observable<RuntimeEvent>): Observable<StreamStats> {
  return events$.pipe(filter(isStreamingEvent), scan(addStreamEvent, NO_STREAM_STATS));
}
