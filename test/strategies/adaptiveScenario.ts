import { catchError, concatMap, EMPTY, of, range } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Model } from '../../src/core/model.js';
import { adaptive } from '../../src/strategies/adaptive.js';
import type { AdaptivePolicy } from '../../src/strategies/adaptiveScores.js';
import { seededRandom } from '../../src/strategies/seededRandom.js';
import { scriptedModel } from '../../src/testing/scriptedModel.js';
import { req } from './statefulKit.js';

/** The original design's rule: greedy on `success·10000/(latency+100) + 0.1/(count+1)` (an untried model scores 0.1), over the EMAs it is given. */
export const originalGreedy: AdaptivePolicy = (arms) =>
  arms
    .map((a) => ({ id: a.id, value: a.score ? (a.score.success * 10_000) / (a.score.latencyMs + 100) + 0.1 / (a.score.count + 1) : 0.1 }))
    .sort((x, y) => y.value - x.value)
    .map((x) => x.id);

/** A policy fed by every call's outcome (for baselines that keep their own statistics). */
export interface ObservingPolicy {
  readonly policy: AdaptivePolicy;
  readonly observe: (id: string, success: boolean, latencyMs: number) => void;
}

/** The original rule over plain running means (no forgetting), as a count-based design computes it. */
export function originalGreedyCumulative(): ObservingPolicy {
  const stats = new Map<string, { count: number; successes: number; latency: number }>();
  return {
    observe: (id, success, latencyMs) => {
      const s = stats.get(id) ?? { count: 0, successes: 0, latency: 0 };
      stats.set(id, { count: s.count + 1, successes: s.successes + (success ? 1 : 0), latency: s.latency + latencyMs });
    },
    policy: (arms) =>
      arms
        .map((a) => {
          const s = stats.get(a.id);
          const value = s ? ((s.successes / s.count) * 10_000) / (s.latency / s.count + 100) + 0.1 / (s.count + 1) : 0.1;
          return { id: a.id, value };
        })
        .sort((x, y) => y.value - x.value)
        .map((x) => x.id),
  };
}

/** True success rate of each model at request `i`: a's drops from 0.99 to 0.5 at `dropAt`. */
export function successRate(id: string, i: number, dropAt: number): number {
  if (id === 'a') return i < dropAt ? 0.99 : 0.5;
  return id === 'b' ? 0.9 : 0.8;
}

export interface ScenarioResult {
  /** Σ over requests of (best true success rate − that of the model tried first). */
  readonly regret: number;
  /** The model each request tried first. */
  readonly firstPicks: readonly string[];
}

/**
 * 3 models, equal latency (100 virtual ms); a is best until `dropAt`, then b.
 * Requests run one after another on a TestScheduler's virtual clock.
 */
export function runScenario(given: 'thompson' | 'ucb1' | AdaptivePolicy | ObservingPolicy, { requests = 10_000, dropAt = 5_000, seed = 7, alpha }: { requests?: number; dropAt?: number; seed?: number; alpha?: number } = {}): ScenarioResult {
  const outcomes = seededRandom(seed * 7919);
  const firstPicks: string[] = new Array(requests);
  const scheduler = new TestScheduler(() => undefined);
  let regret = 0;
  const policy = typeof given === 'object' ? given.policy : given;
  const observe = typeof given === 'object' ? given.observe : undefined;
  scheduler.run(() => {
    const model = (id: string) =>
      scriptedModel(id, (r) => {
        const i = Number(r.id.slice(1));
        if (firstPicks[i] === undefined) {
          firstPicks[i] = id;
          regret += Math.max(...['a', 'b', 'c'].map((k) => successRate(k, i, dropAt))) - successRate(id, i, dropAt);
        }
        const success = outcomes() < successRate(id, i, dropAt);
        observe?.(id, success, 100);
        return success ? { after: 100 } : { after: 100, error: 'unavailable' };
      });
    const models: Record<string, Model> = { a: model('a'), b: model('b'), c: model('c') };
    const chooser = adaptive(models, { policy, random: seededRandom(seed), ...(alpha === undefined ? {} : { alpha }) });
    range(0, requests)
      .pipe(concatMap((i) => of(req(`r${i}`)).pipe(chooser, catchError(() => EMPTY))))
      .subscribe();
  });
  return { regret, firstPicks };
}

/** Share of `picks[from, to)` that are `id`. */
export function shareOf(picks: readonly string[], id: string, from: number, to: number): number {
  return picks.slice(from, to).filter((p) => p === id).length / (to - from);
}
