import { connect, defer, endWith, ignoreElements, interval, map, merge, scan, takeUntil, type Observable } from 'rxjs';
import type { RuntimeEvent } from '../core/events.js';
import { resolveMetricsConfig, type MetricsConfig } from './metricsConfig.js';
import { createMetricsState, recordEvent, snapshotOf } from './metricsInternals.js';
import type { MetricsSnapshot } from './metricsSnapshot.js';

/**
 * Metrics derived from the event stream with `scan`: per model (from
 * `attempt-*` events) and per strategy (from `request-*` events) the requests,
 * successes, failures by kind, cancellations, tokens, cost and latency
 * p50/p95/p99, plus a counter per event type (retries, fallbacks, circuit
 * changes, throttles, cache hits, hedges, budget stops…), each since the start
 * and over a sliding window.
 *
 * The accumulator is mutated in place (a histogram per series, a fixed ring of
 * `buckets` per-interval sections), so an event costs a few counter updates and
 * memory depends on the number of models and strategies, never on the number of
 * requests. Snapshots are built on demand, every `everyMs` and once more when
 * `events$` completes; each is a fresh object that nothing changes afterwards.
 *
 * ```text
 * events$:   -a-b----c----|       (everyMs 4)
 * snapshots: ----S---S---S(S|)
 * ```
 *
 * @example
 * ```ts
 * metrics(bus.events$, { windowMs: 60_000 }).subscribe((m) => log(m.window.byModel));
 * ```
 *
 * @param events$ the runtime events (e.g. `bus.events$`)
 * @param config window, ring size, snapshot period, series cap and clock
 * @returns snapshots, every `everyMs` while subscribed
 * @see createMetrics
 * @see toPrometheus
 */
export function metrics(events$: Observable<RuntimeEvent>, config?: MetricsConfig): Observable<MetricsSnapshot> {
  const resolved = resolveMetricsConfig(config);
  const { scheduler, everyMs } = resolved;
  return defer(() => {
    const state = createMetricsState(resolved);
    return events$.pipe(
      scan(recordEvent, state),
      connect((recorded$) => {
        const ended$ = recorded$.pipe(ignoreElements(), endWith(state));
        return merge(ended$, interval(everyMs, scheduler).pipe(map(() => state), takeUntil(ended$)));
      }),
      map((current) => snapshotOf(current, scheduler.now())),
    );
  });
}
