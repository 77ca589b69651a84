import * as t from 'io-ts';
import { integerIn, NonEmptyString, NonNegativeNumber, numberIn, PositiveInt, strictType } from '../core/codecs.js';
import { InferenceConfig } from '../core/request.js';

/**
 * The declarative strategy tree: the same vocabulary as the operators. A node
 * is either a model id (string) or an object with exactly one key naming the
 * strategy. Decoded strictly: unknown keys are errors.
 *
 * ```yaml
 * strategy:
 *   fallback:
 *     - retry: { count: 2, model: anthropic.claude-3-haiku-20240307-v1:0 }
 *     - timeout: { ms: 2000, model: amazon.nova-lite-v1:0 }
 * ```
 */
export type StrategyNode =
  | string
  | { readonly model: ModelSpec }
  | { readonly fallback: readonly StrategyNode[] }
  | { readonly retry: RetrySpec }
  | { readonly timeout: TimeoutSpec }
  | { readonly hedge: HedgeSpec }
  | { readonly ensemble: EnsembleSpec }
  | { readonly route: RouteSpec }
  | { readonly pipeline: readonly PipelineStepSpec[] }
  | { readonly costTiers: CostTiersSpec }
  | { readonly fastest: FastestSpec }
  | { readonly adaptive: AdaptiveSpec }
  | { readonly circuitBreaker: CircuitBreakerSpec }
  | { readonly rateLimit: RateLimitSpec }
  | { readonly concurrency: ConcurrencySpec }
  | { readonly cache: CacheSpec }
  | { readonly budget: BudgetSpec };

export interface ModelSpec {
  readonly id: string;
  readonly api?: 'converse' | 'invoke';
  readonly system?: string;
  readonly inferenceConfig?: InferenceConfig;
}
interface Wrapped {
  readonly model: StrategyNode;
}
export interface RetrySpec extends Wrapped {
  readonly count: number;
  readonly backoff?: { readonly initialMs?: number; readonly factor?: number; readonly maxMs?: number; readonly jitter?: 'full' | 'equal' | 'none' };
}
export interface TimeoutSpec extends Wrapped {
  readonly ms?: number;
  readonly first?: number;
  readonly each?: number;
}
export interface HedgeSpec {
  readonly after: number;
  readonly max?: number;
  readonly model?: StrategyNode;
  readonly models?: readonly StrategyNode[];
}
export type CombineSpec = 'vote' | 'average' | { readonly weighted: Readonly<Record<string, number>> } | { readonly judge: StrategyNode };
export interface EnsembleSpec {
  readonly models: readonly StrategyNode[];
  readonly combine: CombineSpec;
  readonly minSuccesses?: number;
  readonly quorum?: number;
  readonly memberTimeoutMs?: number;
}
export interface RouteSpec {
  readonly classify?: 'keywords' | { readonly model: StrategyNode; readonly labels?: readonly string[] };
  readonly routes: Readonly<Record<string, StrategyNode>>;
  readonly default: string;
}
export interface PipelineStepSpec {
  readonly name?: string;
  readonly model: StrategyNode;
  /** A prompt template; `{{previous}}` is the previous step's text and `{{input}}` the original prompt. */
  readonly prompt?: string;
}
export interface CostTiersSpec {
  readonly tiers: readonly { readonly name: string; readonly models: readonly StrategyNode[] }[];
  readonly start?: string;
}
export interface FastestSpec {
  readonly models: readonly string[];
  readonly maxLatencyMs: number;
}
export interface AdaptiveSpec {
  readonly models: readonly string[];
  readonly alpha?: number;
  readonly policy?: 'ucb1' | 'thompson';
}
export interface CircuitBreakerSpec extends Wrapped {
  readonly failureThreshold?: number;
  readonly openForMs: number;
  readonly halfOpenProbes?: number;
  readonly slowCallMs?: number;
}
export interface RateLimitSpec extends Wrapped {
  readonly rpm?: number;
  readonly burst?: number;
  readonly tpm?: number;
  readonly mode?: 'wait' | 'reject';
  readonly maxWaitMs?: number;
}
export interface ConcurrencySpec extends Wrapped {
  readonly limit: number;
  readonly maxQueue?: number;
}
export interface CacheSpec extends Wrapped {
  readonly ttlMs: number;
  readonly maxEntries?: number;
}
export interface BudgetSpec extends Wrapped {
  readonly usd?: number;
  readonly tokens?: number;
  readonly perMs: number;
}

const Ms = integerIn(0, 86_400_000, 'a duration in ms (an integer from 0 to 86400000)');
const PositiveMs = integerIn(1, 86_400_000, 'a duration in ms (an integer from 1 to 86400000)');
const Probability = numberIn(0, 1, 'a number from 0 to 1');
const Api = t.keyof({ converse: null, invoke: null }, '"converse" | "invoke"');
const Jitter = t.keyof({ full: null, equal: null, none: null }, '"full" | "equal" | "none"');

const STRATEGY_NAME =
  'a strategy (a model id, or an object with one key: model, fallback, retry, timeout, hedge, ensemble, route, pipeline, costTiers, fastest, adaptive, circuitBreaker, rateLimit, concurrency, cache, budget)';

/** The codec of one node of the strategy tree. */
export const StrategyNodeCodec: t.Type<StrategyNode, StrategyNode, unknown> = t.recursion(STRATEGY_NAME, (node) => {
  const nodes = t.readonlyArray(node, 'a list of strategies');
  const wrap = <P extends t.Props>(name: string, required: P, optional: t.Props) =>
    strictType(name, { ...required, model: node }, optional);
  return t.union(
    [
      t.string,
      strictType('{ model }', {
        model: t.union([
          NonEmptyString,
          strictType('a model spec', { id: NonEmptyString }, { api: Api, system: t.string, inferenceConfig: InferenceConfig }),
        ]),
      }, {}),
      strictType('{ fallback }', { fallback: nodes }, {}),
      strictType('{ retry }', {
        retry: wrap('retry options', { count: integerIn(1, 100, 'a positive integer (at most 100)') }, {
          backoff: strictType('backoff options', {}, { initialMs: Ms, factor: numberIn(1, 100, 'a number from 1 to 100'), maxMs: Ms, jitter: Jitter }),
        }),
      }, {}),
      strictType('{ timeout }', { timeout: wrap('timeout options', {}, { ms: PositiveMs, first: PositiveMs, each: PositiveMs }) }, {}),
      strictType('{ hedge }', { hedge: strictType('hedge options', { after: Ms }, { max: integerIn(1, 10, 'an integer from 1 to 10'), model: node, models: nodes }) }, {}),
      strictType('{ ensemble }', {
        ensemble: strictType('ensemble options', {
          models: nodes,
          combine: t.union([
            t.keyof({ vote: null, average: null }, '"vote" | "average"'),
            strictType('{ weighted }', { weighted: t.record(t.string, NonNegativeNumber) }, {}),
            strictType('{ judge }', { judge: node }, {}),
          ], 'a combiner ("vote" | "average" | { weighted } | { judge })'),
        }, { minSuccesses: PositiveInt, quorum: PositiveInt, memberTimeoutMs: PositiveMs }),
      }, {}),
      strictType('{ route }', {
        route: strictType('route options', { routes: t.record(t.string, node), default: NonEmptyString }, {
          classify: t.union([
            t.literal('keywords'),
            strictType('a model classifier', { model: node }, { labels: t.readonlyArray(t.string) }),
          ], '"keywords" | { model, labels? }'),
        }),
      }, {}),
      strictType('{ pipeline }', {
        pipeline: t.readonlyArray(strictType('a pipeline step', { model: node }, { name: t.string, prompt: t.string }), 'a list of pipeline steps'),
      }, {}),
      strictType('{ costTiers }', {
        costTiers: strictType('cost tier options', {
          tiers: t.readonlyArray(strictType('a tier', { name: NonEmptyString, models: nodes }, {}), 'a list of tiers'),
        }, { start: t.string }),
      }, {}),
      strictType('{ fastest }', {
        fastest: strictType('fastest options', { models: t.readonlyArray(NonEmptyString, 'a list of model ids'), maxLatencyMs: PositiveMs }, {}),
      }, {}),
      strictType('{ adaptive }', {
        adaptive: strictType('adaptive options', { models: t.readonlyArray(NonEmptyString, 'a list of model ids') }, {
          alpha: Probability,
          policy: t.keyof({ ucb1: null, thompson: null }, '"ucb1" | "thompson"'),
        }),
      }, {}),
      strictType('{ circuitBreaker }', {
        circuitBreaker: wrap('circuit breaker options', { openForMs: PositiveMs }, {
          failureThreshold: PositiveInt,
          halfOpenProbes: PositiveInt,
          slowCallMs: PositiveMs,
        }),
      }, {}),
      strictType('{ rateLimit }', {
        rateLimit: wrap('rate limit options', {}, {
          rpm: PositiveInt,
          burst: PositiveInt,
          tpm: PositiveInt,
          mode: t.keyof({ wait: null, reject: null }, '"wait" | "reject"'),
          maxWaitMs: Ms,
        }),
      }, {}),
      strictType('{ concurrency }', { concurrency: wrap('concurrency options', { limit: PositiveInt }, { maxQueue: integerIn(0, 1_000_000, 'an integer from 0 to 1000000') }) }, {}),
      strictType('{ cache }', { cache: wrap('cache options', { ttlMs: PositiveMs }, { maxEntries: PositiveInt }) }, {}),
      strictType('{ budget }', { budget: wrap('budget options', { perMs: PositiveMs }, { usd: NonNegativeNumber, tokens: PositiveInt }) }, {}),
    ],
    STRATEGY_NAME,
  ) as unknown as t.Type<StrategyNode, StrategyNode, unknown>;
});

/** A whole config file: the strategy, and optionally settings for the run. */
export const StrategyFileCodec = strictType(
  'a strategy file',
  { strategy: StrategyNodeCodec },
  {
    $schema: t.string,
    description: t.string,
    defaults: strictType('defaults', {}, { inferenceConfig: InferenceConfig, system: t.string, concurrency: PositiveInt }),
  },
);
export type StrategyFile = t.TypeOf<typeof StrategyFileCodec>;
