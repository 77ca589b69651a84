import { interval, map, ReplaySubject, takeUntil, type Observable } from 'rxjs';
import type { RuntimeEvent } from '../core/events.js';
import { resolveMetricsConfig, type MetricsConfig } from './metricsConfig.js';
import { createMetricsState, recordEvent, snapshotOf } from './metricsInternals.js';
import type { MetricsSnapshot } from './metricsSnapshot.js';

/** A running metrics collector: read it whenever you like. */
export interface MetricsCollector {
  /** The metrics now (a fresh object each call). */
  snapshot(): MetricsSnapshot;
  /** Snapshots every `everyMs` until {@link MetricsCollector.stop}. */
  readonly metrics$: Observable<MetricsSnapshot>;
  /** Stops counting and completes `metrics$`. */
  stop(): void;
}

/**
 * {@link metrics} for callers who poll rather than subscribe (an HTTP
 * `/metrics` handler, a Promise-based app): subscribes to `events$` at once
 * and counts until `stop()`.
 *
 * @example
 * ```ts
 * const collector = createMetrics(bus.events$);
 * await serveMetrics({ port: 9464, snapshot: collector.snapshot });
 * ```
 *
 * @param events$ the runtime events
 * @param config window, ring size, snapshot period, series cap and clock
 * @returns the collector
 * @see metrics
 */
export function createMetrics(events$: Observable<RuntimeEvent>, config?: MetricsConfig): MetricsCollector {
  const resolved = resolveMetricsConfig(config);
  const { scheduler, everyMs } = resolved;
  const state = createMetricsState(resolved);
  const stopped$ = new ReplaySubject<void>(1);
  const subscription = events$.subscribe((event) => recordEvent(state, event));
  const snapshot = (): MetricsSnapshot => snapshotOf(state, scheduler.now());
  return {
    snapshot,
    metrics$: interval(everyMs, scheduler).pipe(map(snapshot), takeUntil(stopped$)),
    stop: () => {
      subscription.unsubscribe();
      stopped$.next();
      stopped$.complete();
    },
  };
}
