import { defer, map, throwError, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { modelFromCall } from '../core/modelCall.js';
import type { InferenceRequest } from '../core/request.js';
import { tryInOrder, type Candidate } from './internal/tryInOrder.js';

/** One tier of {@link costTiers}: its name, its models (tried in order) and, optionally, its price. */
export interface CostTier {
  readonly name: string;
  readonly models: Model | readonly Model[];
  /** USD per 1,000 tokens (input + output), used to price answers that carry no `costUsd`. */
  readonly pricePer1k?: number;
}

/** Options of {@link costTiers}. */
export interface CostTiersConfig {
  /** The tier to start at: a name, or a function of the request. A request's `metadata.quality` (a tier name) wins over it. Default: the first tier. */
  readonly start?: string | ((request: InferenceRequest) => string);
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

function modelsOf(tier: CostTier): readonly Model[] {
  return typeof tier.models === 'function' ? [tier.models] : (tier.models as readonly Model[]);
}

/**
 * Quality tiers, from the most to the least expensive: a request starts at
 * the tier it asks for (`metadata.quality`, else `start`), tries that tier's
 * models in order, and degrades to the next cheaper tier only when a whole
 * tier failed. Never goes up. The answer says which tier served it
 * (`details.tier`) and carries every attempt; when every tier failed,
 * `all-failed` carries them all. Iterates (`concatMap`), never recurses.
 *
 * ```text
 * tiers: premium [p], standard [s1, s2]; start: premium
 * p:      --#
 * s1:       -#
 * s2:        --r|
 * result: -----(r|)    r.details.tier = 'standard', 3 attempts
 * ```
 *
 * Emits: a tier's answer, `validation` (unknown tier asked for), a
 * non-fallback error of a model (e.g. `validation`), `all-failed`.
 *
 * @example
 * ```ts
 * const tiers = costTiers([{ name: 'premium', models: opus }, { name: 'standard', models: [sonnet, nova] }], { start: 'standard' });
 * ```
 */
export function costTiers(tiers: readonly CostTier[], config: CostTiersConfig = {}): Model {
  if (!Array.isArray(tiers) || tiers.length === 0) throw new TypeError('costTiers: tiers must be a non-empty array');
  const names = tiers.map((t) => t.name);
  tiers.forEach((tier, i) => {
    if (typeof tier.name !== 'string' || tier.name === '') throw new TypeError(`costTiers: tiers[${i}].name must be a non-empty string`);
    if (names.indexOf(tier.name) !== i) throw new TypeError(`costTiers: tiers[${i}].name "${tier.name}" is used twice`);
    if (typeof tier.models !== 'function' && !Array.isArray(tier.models)) throw new TypeError(`costTiers: tiers[${i}].models must be a model or a non-empty array of models`);
    const models = modelsOf(tier);
    if (models.length === 0 || models.some((m) => typeof m !== 'function')) throw new TypeError(`costTiers: tiers[${i}].models must be a model or a non-empty array of models`);
    if (tier.pricePer1k !== undefined && !(Number.isFinite(tier.pricePer1k) && tier.pricePer1k >= 0)) {
      throw new TypeError(`costTiers: tiers[${i}].pricePer1k must be a number ≥ 0`);
    }
  });
  if (typeof config.start === 'string' && !names.includes(config.start)) throw new TypeError(`costTiers: start "${config.start}" is not a tier (${names.join(', ')})`);
  const candidates: Candidate[] = [];
  const tierOf: number[] = [];
  tiers.forEach((tier, t) => {
    modelsOf(tier).forEach((model, i) => {
      const id = (model as Model & { readonly modelId?: unknown }).modelId;
      candidates.push({ id: typeof id === 'string' ? id : `${tier.name}[${i}]`, model });
      tierOf.push(t);
    });
  });
  const events = config.events ?? NO_EVENTS;
  const startOf = (request: InferenceRequest): string | undefined => {
    const quality = request.metadata?.['quality'];
    if (typeof quality === 'string') return quality;
    return typeof config.start === 'function' ? config.start(request) : config.start;
  };

  const call = (request: InferenceRequest) =>
    defer(() => {
      const name = startOf(request) ?? names[0]!;
      const first = names.indexOf(name);
      if (first < 0) {
        const details = [`metadata.quality: expected one of ${names.join(', ')}, got ${JSON.stringify(name)}`];
        return throwError(() => new ModelError('validation', `costTiers: unknown tier "${name}"`, { requestId: request.id, details }));
      }
      const from = tierOf.indexOf(first);
      return tryInOrder(request, candidates.slice(from), {
        scheduler: schedulerOf(config),
        events,
        strategy: 'costTiers',
        details: (index) => ({ tier: names[tierOf[from + index]!] }),
      }).pipe(
        map((response) => {
          const price = tiers.find((t) => t.name === response.details?.['tier'])?.pricePer1k;
          if (response.costUsd !== undefined || price === undefined) return response;
          return { ...response, costUsd: ((response.usage.inputTokens + response.usage.outputTokens) / 1000) * price };
        }),
      );
    });

  return modelFromCall(call);
}
