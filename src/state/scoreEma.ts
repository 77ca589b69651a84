import type { ScoreEntry, ScoreSample } from './store.js';

/**
 * Folds one sample into an EMA score: the first sample is taken as is, later
 * ones move each average by `alpha` of the difference (`x + alpha·(s − x)`).
 *
 * @example
 * ```ts
 * emaScore(emaScore(undefined, { success: 1, latencyMs: 100, costUsd: 0 }, 0.5), { success: 0, latencyMs: 300, costUsd: 0 }, 0.5);
 * // { count: 2, success: 0.5, latencyMs: 200, costUsd: 0 }
 * ```
 */
export function emaScore(entry: ScoreEntry | undefined, sample: ScoreSample, alpha: number): ScoreEntry {
  if (entry === undefined) return { count: 1, success: sample.success, latencyMs: sample.latencyMs, costUsd: sample.costUsd };
  return {
    count: entry.count + 1,
    success: entry.success + alpha * (sample.success - entry.success),
    latencyMs: entry.latencyMs + alpha * (sample.latencyMs - entry.latencyMs),
    costUsd: entry.costUsd + alpha * (sample.costUsd - entry.costUsd),
  };
}
