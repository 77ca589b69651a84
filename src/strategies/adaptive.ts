import { catchError, defer, EMPTY, from, isObservable, merge, ReplaySubject, scan, Subject, take, type Observable, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { modelFromCall } from '../core/modelCall.js';
import type { InferenceRequest } from '../core/request.js';
import { MemoryStore } from '../state/memoryStore.js';
import type { ScoreEntry, ScoreSample, Store } from '../state/store.js';
import { afterReply } from '../state/storeReply.js';
import { DEFAULT_OBJECTIVE, parseScoreKey, scoreKey, withScore, type AdaptiveObjective, type AdaptivePolicy, type ScoreTable } from './adaptiveScores.js';
import { candidatesOf } from './internal/candidates.js';
import { checkNumber } from './internal/checkOption.js';
import { instanceKey } from './internal/instanceKey.js';
import { isModelFault } from './internal/modelFault.js';
import { tryInOrder, type Candidate, type CandidateOutcome } from './internal/tryInOrder.js';
import { thompson } from './thompson.js';
import { ucb1 } from './ucb1.js';

/** Options of {@link adaptive}. */
export interface AdaptiveConfig {
  /** The task a request belongs to (scores are kept per task). Default: `request.task`, else `default`. */
  readonly classify?: (request: InferenceRequest) => string;
  /** Weight of a new sample in every EMA (0–1]. Default 0.05 (about the last 20 samples). */
  readonly alpha?: number;
  /** How to choose: `thompson` (default), `ucb1`, or your own {@link AdaptivePolicy}. */
  readonly policy?: 'ucb1' | 'thompson' | AdaptivePolicy;
  /** How success, latency and cost weigh into one utility. */
  readonly objective?: Partial<AdaptiveObjective>;
  /** Uniform in [0, 1) for exploration; inject `seededRandom(n)` for reproducible runs. Default `Math.random`. */
  readonly random?: () => number;
  /** Where scores live (merge them across processes with a Redis store). Default: a private MemoryStore. */
  readonly store?: Store;
  /** Prefix of this selector's score keys in the store. Default: one per instance. */
  readonly key?: string;
  /** Where to emit `fallback` events. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/** An {@link adaptive} model, with the score table it learns. */
export type AdaptiveModel = Model & {
  /** The current score table, then every change (replays the latest to a new subscriber). */
  readonly scores$: Observable<ScoreTable>;
};

interface ScoreChange {
  readonly task: string;
  readonly modelId: string;
  readonly entry: ScoreEntry;
}

/**
 * Learns which model serves each task best: every call's outcome is a
 * sample (success, latency, cost) folded into EMAs per (model, task) by a
 * `scan`, and a bandit policy ranks the candidates from them — Thompson
 * sampling (default) or UCB1, both of which keep exploring, and both try a
 * never-seen model first. A request goes to the best-ranked model; on a
 * failure it moves to the next-best, never back to one that already failed
 * for it. Failures that are not the model's fault (validation, cancellation)
 * teach nothing.
 *
 * ```text
 * alpha: 0.5; scores of a: success 1, latency 100
 * a fails after 300 ms ─▶ a: { count: 2, success: 0.5, latencyMs: 200 }
 * the request moves on to b; b answers ─▶ b's first sample is its score
 * ```
 *
 * Emits: a candidate's answer, a non-fallback error, `all-failed`.
 *
 * @example
 * ```ts
 * const chooser = adaptive({ micro, lite, pro }, { objective: { latencyWeight: 0.2 }, random: seededRandom(7) });
 * chooser.scores$.subscribe((table) => render(table['default']));
 * ```
 */
export function adaptive(models: Readonly<Record<string, Model>> | readonly Candidate[], config: AdaptiveConfig = {}): AdaptiveModel {
  const owner = 'adaptive';
  const candidates = candidatesOf(owner, models);
  const alpha = checkNumber(owner, 'alpha', config.alpha ?? 0.05, 0);
  if (alpha === 0 || alpha > 1) throw new TypeError(`${owner}: alpha must be in (0, 1], got ${alpha}`);
  const objective: AdaptiveObjective = { ...DEFAULT_OBJECTIVE, ...config.objective };
  checkNumber(owner, 'objective.successWeight', objective.successWeight, 0);
  checkNumber(owner, 'objective.latencyWeight', objective.latencyWeight, 0);
  checkNumber(owner, 'objective.costWeight', objective.costWeight, 0);
  const policy = config.policy === undefined || config.policy === 'thompson' ? thompson() : config.policy === 'ucb1' ? ucb1() : config.policy;
  if (typeof policy !== 'function') throw new TypeError(`${owner}: policy must be 'ucb1', 'thompson' or a function`);
  if (config.classify !== undefined && typeof config.classify !== 'function') throw new TypeError(`${owner}: classify must be a function`);
  const classify = config.classify ?? ((request: InferenceRequest) => request.task ?? 'default');
  const context = { objective, alpha, random: config.random ?? Math.random };
  const store = config.store ?? new MemoryStore({ maxKeys: 4_096 });
  const prefix = config.key ?? instanceKey('adaptive');
  const events = config.events ?? NO_EVENTS;

  const changes = new Subject<ScoreChange>();
  const loaded$ = defer(() =>
    afterReply(store.scoreGetAll(prefix), (all) =>
      from([...all].flatMap(([key, entry]) => {
        const parsed = parseScoreKey(prefix, key);
        return parsed ? [{ ...parsed, entry }] : [];
      })),
    ),
  ).pipe(
    // A store that cannot load shared scores (Redis down in fail-closed mode) leaves this instance learning alone.
    catchError(() => EMPTY),
  );
  const scores$ = new ReplaySubject<ScoreTable>(1);
  let table: ScoreTable = {};
  merge(loaded$, changes)
    .pipe(scan((t: ScoreTable, c: ScoreChange) => withScore(t, c.task, c.modelId, c.entry), {}))
    .subscribe((t) => {
      table = t;
      scores$.next(t);
    });
  scores$.next(table);

  const learn = (task: string) => (candidate: Candidate, outcome: CandidateOutcome) => {
    if (!outcome.ok && !isModelFault(outcome.error)) return;
    const sample: ScoreSample = outcome.ok
      ? { success: 1, latencyMs: outcome.latencyMs, costUsd: outcome.response.costUsd ?? 0 }
      : { success: 0, latencyMs: outcome.latencyMs, costUsd: 0 };
    const reply = store.scoreUpdate(scoreKey(prefix, task, candidate.id), sample, alpha);
    if (isObservable(reply)) reply.pipe(take(1)).subscribe({ next: (entry) => changes.next({ task, modelId: candidate.id, entry }), error: () => undefined });
    else changes.next({ task, modelId: candidate.id, entry: reply });
  };

  const byId = new Map(candidates.map((c) => [c.id, c]));
  const call = (request: InferenceRequest) =>
    defer(() => {
      const task = classify(request);
      const known = table[task] ?? {};
      const ranked = policy(candidates.map((c) => (known[c.id] ? { id: c.id, score: known[c.id]! } : { id: c.id })), context);
      const order = ranked.map((id) => byId.get(id)).filter((c): c is Candidate => c !== undefined);
      return tryInOrder(request, order, { scheduler: schedulerOf(config), events, strategy: owner, onOutcome: learn(task) });
    });

  return Object.assign(modelFromCall(call), { scores$: scores$.asObservable() });
}
