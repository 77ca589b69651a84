import type { ModelErrorKind } from '../core/errors.js';
import type { RuntimeEventType } from '../core/events.js';
import type { LatencySummary } from './latencyHistogram.js';

/** Counts for one model (from `attempt-*` events) or one strategy (from `request-*` events). */
export interface SeriesMetrics {
  /** Attempts (`attempt-started`) or requests (`request-started`). */
  readonly requests: number;
  readonly successes: number;
  /** Ended with an error other than `cancelled`. */
  readonly failures: number;
  /** Ended by unsubscription: a lost race, a satisfied quorum, a cancelled caller. */
  readonly cancelled: number;
  readonly failuresByKind: Readonly<Partial<Record<ModelErrorKind, number>>>;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Latency of every success and failure (not of cancellations). */
  readonly latencyMs: LatencySummary;
  /** Streams (from `first-token`, `stream-completed` and `stream-stalled` events); all zero for a series that never streamed. */
  readonly stream: StreamMetrics;
}

/** How a model's streams went. */
export interface StreamMetrics {
  /** Time to first token. */
  readonly firstTokenMs: LatencySummary;
  /** Streams that ran to their end. */
  readonly completed: number;
  /** Mean output tokens per second over completed streams. */
  readonly tokensPerSecond: number;
  /** Streams that went silent past their stall timeout. */
  readonly stalls: number;
}

/** All series over one span of time. */
export interface MetricsView {
  readonly byModel: Readonly<Record<string, SeriesMetrics>>;
  readonly byStrategy: Readonly<Record<string, SeriesMetrics>>;
  /** Every event by type: retries, fallbacks, circuit changes, throttles, cache hits, hedges, budgets… */
  readonly events: Readonly<Partial<Record<RuntimeEventType, number>>>;
}

/**
 * Metrics at one instant: since the start (`total`) and over the sliding
 * window (`window`, the last `windowMs`, in whole buckets of the ring). A fresh
 * object each time: nothing in it changes afterwards.
 */
export interface MetricsSnapshot {
  /** When it was taken, on the scheduler's clock. */
  readonly time: number;
  readonly windowMs: number;
  readonly total: MetricsView;
  readonly window: MetricsView;
}

/** The strategy label of requests that carry none. */
export const DEFAULT_STRATEGY = 'default';
/** The series that collects every key past `maxSeries`. */
export const OTHER_SERIES = '(other)';
