import type { SchedulerLike } from 'rxjs';
import type { Bedrock } from '../bedrock/createBedrock.js';
import type { EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { lastUserText, type InferenceRequest } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';
import type { Store } from '../state/store.js';
import { adaptive } from '../strategies/adaptive.js';
import { average } from '../strategies/combiners/average.js';
import type { Combiner } from '../strategies/combiners/combiner.js';
import { judge } from '../strategies/combiners/judge.js';
import { vote } from '../strategies/combiners/vote.js';
import { weighted } from '../strategies/combiners/weighted.js';
import { costTiers } from '../strategies/costTiers.js';
import { ensemble } from '../strategies/ensemble.js';
import { fallback } from '../strategies/fallback.js';
import { fastest } from '../strategies/fastest.js';
import { hedge } from '../strategies/hedge.js';
import { keywordClassifier } from '../strategies/keywordClassifier.js';
import { modelClassifier } from '../strategies/modelClassifier.js';
import { pipeline } from '../strategies/pipeline.js';
import { route } from '../strategies/route.js';
import { withBudget } from '../strategies/withBudget.js';
import { withCache } from '../strategies/withCache.js';
import { withCircuitBreaker } from '../strategies/withCircuitBreaker.js';
import { withConcurrency } from '../strategies/withConcurrency.js';
import { withRateLimit } from '../strategies/withRateLimit.js';
import { withRetry } from '../strategies/withRetry.js';
import { withTimeout } from '../strategies/withTimeout.js';
import { ConfigError } from './parseStrategyFile.js';
import type { CombineSpec, StrategyNode } from './schema.js';

/** What a strategy tree is built with. */
export interface StrategyContext {
  /** Makes the `model` leaves. */
  readonly bedrock: Bedrock;
  /** Shared state for breakers, rate limits, caches, budgets and adaptive scores (default: in memory). */
  readonly store?: Store;
  /** Where every strategy's events go. Default: the Bedrock runtime's bus, so one stream holds everything. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * Turns a decoded strategy tree into a {@link Model}, composing the same
 * operators a program would. Mistakes that the schema cannot see (a route
 * default that names no route, a quorum larger than the ensemble) throw a
 * {@link ConfigError} naming the path.
 *
 * @example
 * ```ts
 * const model = buildStrategy({ fallback: ['anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-lite-v1:0'] }, { bedrock });
 * ```
 */
export function buildStrategy(node: StrategyNode, context: StrategyContext, path = 'strategy'): Model {
  const events = context.events ?? context.bedrock.events;
  const common = { events, ...(context.scheduler ? { scheduler: context.scheduler } : {}) };
  const stateful = { ...common, ...(context.store ? { store: context.store } : {}) };
  const build = (child: StrategyNode, at: string) => buildStrategy(child, context, at);
  const fail = (at: string, problem: string): never => {
    throw new ConfigError('strategy file', [`${at}: ${problem}`]);
  };

  if (typeof node === 'string') return context.bedrock.model(node);
  if ('model' in node) {
    const spec = node.model;
    if (typeof spec === 'string') return context.bedrock.model(spec);
    const { id, ...options } = spec;
    return context.bedrock.model(id, options);
  }
  if ('fallback' in node) {
    if (node.fallback.length === 0) fail(`${path}.fallback`, 'expected at least one strategy');
    return fallback(node.fallback.map((n, i) => build(n, `${path}.fallback[${i}]`)), common);
  }
  if ('retry' in node) {
    const { model, ...options } = node.retry;
    return withRetry(build(model, `${path}.retry.model`), { ...options, ...common });
  }
  if ('timeout' in node) {
    const { model, ms, first, each } = node.timeout;
    if (ms === undefined && first === undefined && each === undefined) fail(`${path}.timeout`, 'expected one of ms, first or each');
    return withTimeout(build(model, `${path}.timeout.model`), {
      ...(ms !== undefined || first !== undefined ? { first: (first ?? ms)! } : {}),
      ...(each !== undefined ? { each } : {}),
      ...(context.scheduler ? { scheduler: context.scheduler } : {}),
    });
  }
  if ('hedge' in node) {
    const { model, models, after, max } = node.hedge;
    if ((model === undefined) === (models === undefined)) fail(`${path}.hedge`, 'expected either model or models');
    const target = model !== undefined ? build(model, `${path}.hedge.model`) : models!.map((n, i) => build(n, `${path}.hedge.models[${i}]`));
    return hedge(target, { after, ...(max !== undefined ? { max } : {}), ...common });
  }
  if ('ensemble' in node) {
    const { models, combine, ...options } = node.ensemble;
    if (models.length === 0) fail(`${path}.ensemble.models`, 'expected at least one strategy');
    if (options.quorum !== undefined && options.quorum > models.length) fail(`${path}.ensemble.quorum`, `expected at most ${models.length} (the number of models), got ${options.quorum}`);
    const members = models.map((n, i) => build(n, `${path}.ensemble.models[${i}]`));
    return ensemble(members, { combine: combinerOf(combine, (n) => build(n, `${path}.ensemble.combine.judge`)), ...options, ...common });
  }
  if ('route' in node) {
    const { routes, classify } = node.route;
    const names = Object.keys(routes);
    if (!names.includes(node.route.default)) fail(`${path}.route.default`, `expected one of the routes (${names.join(', ')}), got "${node.route.default}"`);
    const targets = Object.fromEntries(names.map((name) => [name, build(routes[name]!, `${path}.route.routes.${name}`)]));
    const classifier =
      classify === undefined || classify === 'keywords'
        ? keywordClassifier()
        : modelClassifier(build(classify.model, `${path}.route.classify.model`), classify.labels ?? names);
    return route({ classify: classifier, routes: targets, default: node.route.default, ...common });
  }
  if ('pipeline' in node) {
    if (node.pipeline.length === 0) fail(`${path}.pipeline`, 'expected at least one step');
    return pipeline(
      node.pipeline.map((step, i) => ({
        model: build(step.model, `${path}.pipeline[${i}].model`),
        ...(step.name !== undefined ? { name: step.name } : {}),
        ...(step.prompt !== undefined ? { prepare: templatePrepare(step.prompt) } : {}),
      })),
      common,
    );
  }
  if ('costTiers' in node) {
    const { tiers, start } = node.costTiers;
    if (tiers.length === 0) fail(`${path}.costTiers.tiers`, 'expected at least one tier');
    if (start !== undefined && !tiers.some((t) => t.name === start)) fail(`${path}.costTiers.start`, `expected one of the tiers (${tiers.map((t) => t.name).join(', ')}), got "${start}"`);
    return costTiers(
      tiers.map((tier, i) => ({ name: tier.name, models: tier.models.map((n, j) => build(n, `${path}.costTiers.tiers[${i}].models[${j}]`)) })),
      { ...(start !== undefined ? { start } : {}), ...common },
    );
  }
  if ('fastest' in node) {
    const { models, maxLatencyMs } = node.fastest;
    return fastest(Object.fromEntries(models.map((id) => [id, context.bedrock.model(id)])), { maxLatencyMs, events$: events.events$, ...common });
  }
  if ('adaptive' in node) {
    const { models, ...options } = node.adaptive;
    return adaptive(Object.fromEntries(models.map((id) => [id, context.bedrock.model(id)])), { ...options, ...stateful });
  }
  if ('circuitBreaker' in node) {
    const { model, ...options } = node.circuitBreaker;
    return withCircuitBreaker(build(model, `${path}.circuitBreaker.model`), { ...options, key: path, ...stateful });
  }
  if ('rateLimit' in node) {
    const { model, ...options } = node.rateLimit;
    if (options.rpm === undefined && options.tpm === undefined) fail(`${path}.rateLimit`, 'expected rpm, tpm or both');
    return withRateLimit(build(model, `${path}.rateLimit.model`), { mode: 'wait', ...options, key: path, ...stateful });
  }
  if ('concurrency' in node) {
    const { model, limit, maxQueue } = node.concurrency;
    return withConcurrency(build(model, `${path}.concurrency.model`), limit, { ...(maxQueue !== undefined ? { maxQueue } : {}), ...common });
  }
  if ('cache' in node) {
    const { model, ...options } = node.cache;
    return withCache(build(model, `${path}.cache.model`), { ...options, ...stateful });
  }
  const { model, ...options } = node.budget;
  if (options.usd === undefined && options.tokens === undefined) fail(`${path}.budget`, 'expected usd, tokens or both');
  return withBudget(build(model, `${path}.budget.model`), { ...options, key: path, ...stateful });
}

function combinerOf(spec: CombineSpec, buildJudge: (node: StrategyNode) => Model): Combiner {
  if (spec === 'vote') return vote();
  if (spec === 'average') return average();
  if ('weighted' in spec) return weighted(spec.weighted);
  return judge(buildJudge(spec.judge));
}

/** A pipeline step's `prompt` template: `{{previous}}` is the previous step's answer, `{{input}}` the original prompt. */
function templatePrepare(template: string) {
  return (previous: InferenceResponse | undefined, original: InferenceRequest) => ({
    id: original.id,
    prompt: template.replaceAll('{{previous}}', previous?.text ?? '').replaceAll('{{input}}', lastUserText(original)),
  });
}
