import type { ScoreEntry } from '../state/store.js';

/** EMA scores per task, then per model id: what {@link adaptive} has learnt (its `scores$`). */
export type ScoreTable = Readonly<Record<string, Readonly<Record<string, ScoreEntry>>>>;

/** How {@link adaptive} weighs a model's averages into one utility. */
export interface AdaptiveObjective {
  /** Weight of the success rate (0–1). Default 1. */
  readonly successWeight: number;
  /** Cost of latency, per second. Default 0.1 (100 ms costs as much as 1 % of success). */
  readonly latencyWeight: number;
  /** Cost of money, per US dollar. Default 1. */
  readonly costWeight: number;
}

export const DEFAULT_OBJECTIVE: AdaptiveObjective = { successWeight: 1, latencyWeight: 0.1, costWeight: 1 };

/** One candidate as a policy sees it: its id and, once it was tried for this task, its score. */
export interface Arm {
  readonly id: string;
  readonly score?: ScoreEntry;
}

/** What a policy may use besides the arms. */
export interface PolicyContext {
  readonly objective: AdaptiveObjective;
  /** The EMA weight; an average is worth about `(2 − alpha) / alpha` samples. */
  readonly alpha: number;
  /** Uniform in [0, 1); injectable for reproducible runs. */
  readonly random: () => number;
}

/** A selection policy: the candidates' ids, best first (the order failures fall back in). */
export type AdaptivePolicy = (arms: readonly Arm[], context: PolicyContext) => readonly string[];

/** The objective's value of averages: `successWeight·success − latencyWeight·latency(s) − costWeight·cost`. */
export function utilityOf(objective: AdaptiveObjective, success: number, latencyMs: number, costUsd: number): number {
  return objective.successWeight * success - (objective.latencyWeight * latencyMs) / 1000 - objective.costWeight * costUsd;
}

/**
 * How many samples an EMA is worth: its count, at most `(2 − alpha) / alpha`
 * (an EMA of `alpha` has the variance of a plain mean of that many samples).
 */
export function effectiveCount(score: ScoreEntry, alpha: number): number {
  return Math.min(score.count, (2 - alpha) / alpha);
}

/** Ids in order of `value`, highest first; never-tried arms first of all, in their given order (so every arm gets learnt). */
export function rankBy(arms: readonly Arm[], value: (arm: Arm & { readonly score: ScoreEntry }) => number): readonly string[] {
  const untried = arms.filter((a) => a.score === undefined).map((a) => a.id);
  const tried = arms
    .filter((a): a is Arm & { readonly score: ScoreEntry } => a.score !== undefined)
    .map((a) => ({ id: a.id, value: value(a) }))
    .sort((a, b) => b.value - a.value);
  return [...untried, ...tried.map((t) => t.id)];
}

/** The store key of a (task, model) score under `prefix`, and back. */
export function scoreKey(prefix: string, task: string, modelId: string): string {
  return `${prefix}|${encodeURIComponent(task)}|${encodeURIComponent(modelId)}`;
}

/** The task and model of a key made by {@link scoreKey}, or undefined for another key. */
export function parseScoreKey(prefix: string, key: string): { task: string; modelId: string } | undefined {
  if (!key.startsWith(`${prefix}|`)) return undefined;
  const [task, modelId, ...rest] = key.slice(prefix.length + 1).split('|');
  return task === undefined || modelId === undefined || rest.length > 0 ? undefined : { task: decodeURIComponent(task), modelId: decodeURIComponent(modelId) };
}

/** One step of the score scan: the table with one (task, model) entry replaced. */
export function withScore(table: ScoreTable, task: string, modelId: string, entry: ScoreEntry): ScoreTable {
  return { ...table, [task]: { ...table[task], [modelId]: entry } };
}
