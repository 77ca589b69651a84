import type { SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';

/** Options of {@link metrics} and {@link createMetrics}. */
export interface MetricsConfig {
  /** Length of the sliding window. Default 60,000 ms. */
  readonly windowMs?: number;
  /** Buckets in the window's ring (its resolution is `windowMs / buckets`). Default 12. */
  readonly buckets?: number;
  /** How often a snapshot is emitted. Default 1,000 ms. */
  readonly everyMs?: number;
  /** Distinct models (and strategies) tracked; more go to `(other)`. Default 200. */
  readonly maxSeries?: number;
  /** Clock for snapshots and window expiry. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** A {@link MetricsConfig} with defaults applied. */
export interface ResolvedMetricsConfig {
  readonly windowMs: number;
  readonly buckets: number;
  readonly bucketMs: number;
  readonly everyMs: number;
  readonly maxSeries: number;
  readonly scheduler: SchedulerLike;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`metrics: ${name} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

function integer(name: string, value: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new TypeError(`metrics: ${name} must be an integer in [1, ${max}], got ${String(value)}`);
  }
  return value;
}

/** Checks options and applies defaults; a bad option throws a `TypeError` naming it. */
export function resolveMetricsConfig(config: MetricsConfig = {}): ResolvedMetricsConfig {
  const windowMs = positive('windowMs', config.windowMs ?? 60_000);
  const buckets = integer('buckets', config.buckets ?? 12, 1_000);
  return {
    windowMs,
    buckets,
    bucketMs: windowMs / buckets,
    everyMs: positive('everyMs', config.everyMs ?? 1_000),
    maxSeries: integer('maxSeries', config.maxSeries ?? 200, 100_000),
    scheduler: schedulerOf(config),
  };
}
