import type { LatencyDistribution } from './profile.js';
import { normal, type Random } from './random.js';

/**
 * One draw from a latency distribution, in whole milliseconds (never negative).
 *
 * @example
 * ```ts
 * sampleLatency({ kind: 'tail', baseMs: 20, tailMs: 500, p: 0.05 }, seededRandom(1)); // 20 most of the time, 500 for 5 %
 * ```
 */
export function sampleLatency(dist: LatencyDistribution, random: Random): number {
  switch (dist.kind) {
    case 'fixed':
      return Math.round(dist.ms);
    case 'uniform':
      return Math.round(dist.minMs + random() * Math.max(0, dist.maxMs - dist.minMs));
    case 'lognormal':
      return Math.round(dist.medianMs * Math.exp(dist.sigma * normal(random)));
    case 'tail':
      return Math.round(random() < dist.p ? dist.tailMs : dist.baseMs);
  }
}
