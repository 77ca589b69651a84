import { map, merge, timer, type Observable } from 'rxjs';
import type { ModelErrorKind, RuntimeEvent } from '../../src/core/index.js';

type Untimed<E> = E extends RuntimeEvent ? Omit<E, 'time'> : never;

/** Events at the given virtual times (use inside `TestScheduler.run`); completes after the last. */
export function eventsAt(entries: readonly (readonly [number, Untimed<RuntimeEvent>])[]): Observable<RuntimeEvent> {
  return merge(...entries.map(([time, event]) => timer(time).pipe(map(() => ({ ...event, time }) as RuntimeEvent))));
}

/** A request that starts at `at` and ends `latencyMs` later, ok or with `errorKind`. */
export function requestEvents(
  id: string,
  at: number,
  latencyMs: number,
  errorKind?: ModelErrorKind,
  strategy = 'fallback',
): (readonly [number, Untimed<RuntimeEvent>])[] {
  return [
    [at, { type: 'request-started', requestId: id, strategy }],
    [
      at + latencyMs,
      errorKind === undefined
        ? {
            type: 'request-completed',
            requestId: id,
            strategy,
            ok: true,
            modelId: 'nova',
            latencyMs,
            usage: { inputTokens: 10, outputTokens: 4 },
            costUsd: 0.5,
          }
        : { type: 'request-completed', requestId: id, strategy, ok: false, errorKind, latencyMs },
    ],
  ];
}
