import { asyncScheduler, type Observable } from 'rxjs';
import { createBedrock, type Bedrock, type BedrockOptions } from '../bedrock/createBedrock.js';
import { buildStrategy } from '../config/buildStrategy.js';
import type { CombineSpec, StrategyNode } from '../config/schema.js';
import { ModelError, type ModelErrorKind } from '../core/errors.js';
import type { RuntimeEvent } from '../core/events.js';
import type { Model } from '../core/model.js';
import { callModel } from '../core/modelCall.js';
import { toRequest, type RequestInput } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';
import { createMetrics } from '../observe/createMetrics.js';
import type { MetricsSnapshot } from '../observe/metricsSnapshot.js';
import type { Store } from '../state/store.js';
import { LruMap } from '../state/lruMap.js';
import { RingBuffer } from './ringBuffer.js';

/** The named strategies `process` understands, besides a full strategy tree. */
export type StrategyName = 'router' | 'pipeline' | 'ensemble' | 'fallback' | 'hedge' | 'fastest' | 'adaptive' | 'costTiers';

export interface OrchestratorConfig {
  /** A Bedrock runtime, or options to create one (default: the AWS default credential chain). */
  readonly bedrock?: Bedrock | BedrockOptions;
  /** Short names for model ids, usable wherever a model id is (e.g. `{ fast: 'amazon.nova-micro-v1:0' }`). */
  readonly models?: Readonly<Record<string, string>>;
  /** The strategy used when `process` names none. Default: a fallback over every model in `models`. */
  readonly strategy?: StrategyNode;
  /** For `router`: route name → model (id, alias or strategy), and the default route. */
  readonly routes?: Readonly<Record<string, StrategyNode>>;
  readonly defaultRoute?: string;
  /** Shared state for breakers, rate limits, caches and adaptive scores (e.g. a RedisStore). */
  readonly store?: Store;
  /** How many requests `getRequestLog` remembers. Default 1,000. */
  readonly requestLogSize?: number;
}

export interface ProcessOptions {
  /** A named strategy or a whole strategy tree. Default: the orchestrator's `strategy`. */
  readonly strategy?: StrategyName | StrategyNode;
  /** The models (ids or aliases) a named strategy uses, in order. Default: every model in the config. */
  readonly models?: readonly string[];
  /** Cancels the request (and its HTTP calls); the promise rejects with a `cancelled` ModelError. */
  readonly signal?: AbortSignal;
  /** For `ensemble`: how answers are combined (default `vote`) and how many must agree to finish early. */
  readonly combine?: CombineSpec;
  readonly quorum?: number;
  /** For `hedge`: ms before another model is started (default 500). */
  readonly after?: number;
  /** For `fastest`: the latency a model must have shown to be preferred (default 1,000). */
  readonly maxLatencyMs?: number;
}

/** One finished request, as `getRequestLog` reports it (no prompt or answer text). */
export interface RequestLogEntry {
  readonly requestId: string;
  readonly strategy: string;
  readonly ok: boolean;
  readonly modelId?: string;
  readonly errorKind?: ModelErrorKind;
  readonly latencyMs: number;
  readonly attempts: number;
}

export interface Orchestrator {
  /** Runs one request (a prompt or a request object) and resolves with the response, or rejects with a ModelError. */
  process(input: RequestInput, options?: ProcessOptions): Promise<InferenceResponse>;
  /** Per-model and per-strategy counts and latency percentiles, over all time and the last minute. */
  getMetrics(): MetricsSnapshot;
  /** The newest `limit` finished requests (all that are kept by default), oldest first. */
  getRequestLog(limit?: number): RequestLogEntry[];
  readonly events$: Observable<RuntimeEvent>;
  readonly bedrock: Bedrock;
  /** Stops collecting metrics. */
  close(): void;
}

const STRATEGY_NAMES = new Set<string>(['router', 'pipeline', 'ensemble', 'fallback', 'hedge', 'fastest', 'adaptive', 'costTiers']);

function isBedrock(value: Bedrock | BedrockOptions | undefined): value is Bedrock {
  return typeof value === 'object' && value !== null && typeof (value as Bedrock).model === 'function';
}

/**
 * rx-bedrock for code that does not use RxJS: a Promise API over the same
 * operators, with metrics and a bounded request log.
 *
 * @example
 * ```ts
 * const orchestrator = createOrchestrator({ bedrock: { region: 'us-east-1' }, models: { fast: 'amazon.nova-micro-v1:0', smart: 'anthropic.claude-3-5-sonnet-20240620-v1:0' } });
 * const answer = await orchestrator.process('Summarise this…', { strategy: 'fallback', models: ['smart', 'fast'] });
 * ```
 */
export function createOrchestrator(config: OrchestratorConfig = {}): Orchestrator {
  const bedrock = isBedrock(config.bedrock) ? config.bedrock : createBedrock(config.bedrock);
  const aliases = config.models ?? {};
  const everyModel = Object.keys(aliases);
  const log = new RingBuffer<RequestLogEntry>(config.requestLogSize ?? 1000);
  const collector = createMetrics(bedrock.events$);
  const built = new LruMap<string, Model>(100);
  const context = { bedrock: { ...bedrock, model: (id: string, options?: Parameters<Bedrock['model']>[1]) => bedrock.model(aliases[id] ?? id, options) }, ...(config.store ? { store: config.store } : {}) };

  const treeFor = (options: ProcessOptions): StrategyNode => {
    const strategy = options.strategy ?? config.strategy;
    const models = options.models ?? everyModel;
    if (strategy !== undefined && !(typeof strategy === 'string' && STRATEGY_NAMES.has(strategy))) return strategy as StrategyNode;
    if (models.length === 0 && strategy !== 'router') throw new TypeError('process: no models: give options.models or config.models');
    switch ((strategy ?? 'fallback') as StrategyName) {
      case 'fallback':
        return { fallback: models };
      case 'ensemble':
        return { ensemble: { models, combine: options.combine ?? 'vote', ...(options.quorum !== undefined ? { quorum: options.quorum } : {}) } };
      case 'pipeline':
        return { pipeline: models.map((model) => ({ model })) };
      case 'hedge':
        return { hedge: { models, after: options.after ?? 500, max: models.length } };
      case 'fastest':
        return { fastest: { models: models.map((m) => aliases[m] ?? m), maxLatencyMs: options.maxLatencyMs ?? 1000 } };
      case 'adaptive':
        return { adaptive: { models: models.map((m) => aliases[m] ?? m) } };
      case 'costTiers':
        return { costTiers: { tiers: models.map((m) => ({ name: m, models: [m] })) } };
      case 'router': {
        if (!config.routes || !config.defaultRoute) throw new TypeError('process: strategy "router" needs config.routes and config.defaultRoute');
        return { route: { routes: config.routes, default: config.defaultRoute } };
      }
    }
  };

  const modelFor = (tree: StrategyNode): Model => {
    const key = JSON.stringify(tree);
    let model = built.get(key);
    if (model === undefined) {
      model = buildStrategy(tree, context);
      built.set(key, model);
    }
    return model;
  };

  return {
    bedrock,
    events$: bedrock.events$,
    getMetrics: () => collector.snapshot(),
    getRequestLog: (limit) => log.toArray(limit),
    close: () => collector.stop(),
    process(input, options = {}) {
      return new Promise<InferenceResponse>((resolve, reject) => {
        const request = toRequest(input);
        const startedAt = asyncScheduler.now();
        const elapsed = () => asyncScheduler.now() - startedAt;
        const tree = treeFor(options);
        const strategy = typeof options.strategy === 'string' ? options.strategy : options.strategy ? Object.keys(options.strategy)[0]! : 'default';
        const record = (entry: Omit<RequestLogEntry, 'requestId' | 'strategy'>) => log.push({ requestId: request.id, strategy, ...entry });
        if (options.signal?.aborted) return reject(new ModelError('cancelled', 'aborted before it started', { requestId: request.id }));
        const onAbort = () => {
          subscription.unsubscribe();
          record({ ok: false, errorKind: 'cancelled', latencyMs: elapsed(), attempts: 0 });
          reject(new ModelError('cancelled', 'aborted by the caller', { requestId: request.id }));
        };
        const subscription = callModel(modelFor(tree), request).subscribe({
          next: (response) => {
            options.signal?.removeEventListener('abort', onAbort);
            record({ ok: true, modelId: response.modelId, latencyMs: response.latencyMs, attempts: response.attempts.length });
            resolve(response);
          },
          error: (error: ModelError) => {
            options.signal?.removeEventListener('abort', onAbort);
            record({ ok: false, ...(error.kind ? { errorKind: error.kind } : {}), latencyMs: elapsed(), attempts: error.attempts?.length ?? 1 });
            reject(error);
          },
        });
        if (!subscription.closed) options.signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
