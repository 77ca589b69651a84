import type { Observable } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { NO_EVENTS, type CircuitState } from '../core/events.js';
import { MemoryStore } from '../state/memoryStore.js';
import type {
  BreakerOutcome,
  BreakerPermit,
  BreakerPolicy,
  BreakerUpdate,
  ScoreEntry,
  ScoreSample,
  Spend,
  Store,
  TokenBucket,
  TokenTake,
  TokenTakeResult,
} from '../state/store.js';
import { RedisGuard } from './redisGuard.js';
import { redisScripts, type RedisScripts } from './redisScripts.js';
import { resolveRedisStoreConfig, type RedisStoreConfig, type ResolvedRedisStoreConfig } from './redisStoreConfig.js';

function transitionOf(from: unknown, to: CircuitState): { transition?: { from: CircuitState; to: CircuitState } } {
  return typeof from === 'string' && from !== '' ? { transition: { from: from as CircuitState, to } } : {};
}

/**
 * A {@link Store} in Redis, so rate limits, circuit breakers, adaptive scores,
 * budgets and the cache are shared by every process that points at the same
 * Redis and `prefix`. Each operation is one atomic Lua script timed by the
 * server's clock (`TIME`), so client clocks never matter: token buckets take
 * from several buckets all-or-nothing, a circuit's half-open probes are
 * shared (one probe across all instances with `halfOpenProbes: 1`), EMA
 * scores merge every instance's samples, the cache expires by `PX` and is
 * capped by a sorted-set index, and budget windows keep fixed slots.
 *
 * Every operation is bounded by `commandTimeoutMs`. On a Redis error or a
 * timeout, `failMode: 'open'` answers from local state (`fallback`) and
 * `'closed'` fails with an `unavailable` ModelError (`source: 'redis'`); both
 * emit one `store-degraded` event each time the store goes from healthy to
 * degraded. While degraded, operations answer that way at once, without
 * waiting on Redis, for `recheckMs`; then the next one tries Redis again, and
 * its success makes the store healthy.
 *
 * ```text
 * redis:     ok ok  ✕   ✕   ok
 * open:      R  R   L   L   R      (L = local fallback; one store-degraded event)
 * closed:    R  R   #   #   R      (# = ModelError 'unavailable')
 * ```
 *
 * @example
 * ```ts
 * const redis = createRedisClient(process.env.REDIS_URL!);
 * const store = new RedisStore({ redis, prefix: 'myapp:', failMode: 'open', events: bus });
 * const shared = withRateLimit(model, { rpm: 600, store, key: 'nova-micro' });
 * ```
 */
export class RedisStore implements Store {
  readonly #config: ResolvedRedisStoreConfig;
  readonly #scripts: RedisScripts;
  readonly #fallback: Store;
  readonly #guard: RedisGuard;

  constructor(config: RedisStoreConfig) {
    this.#config = resolveRedisStoreConfig(config);
    this.#scripts = redisScripts(config.redis);
    this.#fallback = config.fallback ?? new MemoryStore();
    const { failMode, commandTimeoutMs, recheckMs } = this.#config;
    this.#guard = new RedisGuard({ failMode, commandTimeoutMs, recheckMs, events: config.events ?? NO_EVENTS, scheduler: schedulerOf(config) });
  }

  /** True while Redis is failing (answers come from the fallback, or fail). */
  get degraded(): boolean {
    return this.#guard.degraded;
  }

  #key(kind: string, key: string): string {
    return `${this.#config.prefix}${kind}:${key}`;
  }

  takeTokens(takes: readonly TokenTake[], now: number): Observable<TokenTakeResult> {
    const args: (string | number)[] = [takes.length, ...takes.map((t) => this.#key('bucket', t.key))];
    for (const t of takes) args.push(t.capacity, t.refillMs, t.amount);
    return this.#guard.run(
      'takeTokens',
      () => this.#scripts.takeTokens(...args),
      (reply) => {
        const [granted, waitMs, ...remaining] = reply as [number, number, ...string[]];
        return { granted: granted === 1, waitMs: Number(waitMs), remaining: remaining.map(Number) };
      },
      () => this.#fallback.takeTokens(takes, now),
    );
  }

  adjustTokens(key: string, bucket: TokenBucket, delta: number, now: number): Observable<number> {
    return this.#guard.run(
      'adjustTokens',
      () => this.#scripts.adjustTokens(this.#key('bucket', key), bucket.capacity, bucket.refillMs, delta),
      Number,
      () => this.#fallback.adjustTokens(key, bucket, delta, now),
    );
  }

  breakerAcquire(key: string, policy: BreakerPolicy, now: number): Observable<BreakerPermit> {
    const { probeLeaseMs, stateTtlMs } = this.#config;
    return this.#guard.run(
      'breakerAcquire',
      () => this.#scripts.breakerAcquire(this.#key('breaker', key), policy.openForMs, policy.halfOpenProbes, probeLeaseMs, stateTtlMs),
      (reply) => {
        const [permitted, probe, state, retryAfterMs, from] = reply as [number, number, CircuitState, number, string];
        return { permitted: permitted === 1, probe: probe === 1, state, retryAfterMs: Number(retryAfterMs), ...transitionOf(from, state) };
      },
      () => this.#fallback.breakerAcquire(key, policy, now),
    );
  }

  breakerRecord(key: string, policy: BreakerPolicy, outcome: BreakerOutcome, probe: boolean, now: number): Observable<BreakerUpdate> {
    const rate = policy.failureRate;
    return this.#guard.run(
      'breakerRecord',
      () =>
        this.#scripts.breakerRecord(
          this.#key('breaker', key),
          outcome,
          probe ? 1 : 0,
          policy.failureThreshold ?? '',
          rate?.rate ?? '',
          rate?.window ?? '',
          rate?.minCalls ?? '',
          this.#config.stateTtlMs,
        ),
      (reply) => {
        const [state, from] = reply as [CircuitState, string];
        return { state, ...transitionOf(from, state) };
      },
      () => this.#fallback.breakerRecord(key, policy, outcome, probe, now),
    );
  }

  scoreUpdate(key: string, sample: ScoreSample, alpha: number): Observable<ScoreEntry> {
    return this.#guard.run(
      'scoreUpdate',
      () => this.#scripts.scoreUpdate(`${this.#config.prefix}scores`, key, sample.success, sample.latencyMs, sample.costUsd, alpha),
      (reply) => JSON.parse(String(reply)) as ScoreEntry,
      () => this.#fallback.scoreUpdate(key, sample, alpha),
    );
  }

  scoreGetAll(prefix: string): Observable<ReadonlyMap<string, ScoreEntry>> {
    return this.#guard.run(
      'scoreGetAll',
      () => this.#config.redis.hgetall(`${this.#config.prefix}scores`),
      (reply) => {
        const found = new Map<string, ScoreEntry>();
        for (const [key, json] of Object.entries(reply as Record<string, string>)) {
          if (key.startsWith(prefix)) found.set(key, JSON.parse(json) as ScoreEntry);
        }
        return found;
      },
      () => this.#fallback.scoreGetAll(prefix),
    );
  }

  cacheGet(key: string, now: number): Observable<unknown> {
    return this.#guard.run(
      'cacheGet',
      () => this.#config.redis.get(this.#key('cache', key)),
      parseCached,
      () => this.#fallback.cacheGet(key, now),
    );
  }

  cacheSet(key: string, value: unknown, ttlMs: number, now: number): Observable<void> {
    return this.#guard.run(
      'cacheSet',
      () =>
        this.#scripts.cacheSet(
          this.#key('cache', key),
          `${this.#config.prefix}cache-index`,
          JSON.stringify(value),
          Math.max(1, Math.ceil(ttlMs)),
          this.#config.maxCacheEntries,
        ),
      () => undefined,
      () => this.#fallback.cacheSet(key, value, ttlMs, now),
    );
  }

  #budget(key: string, spend: Spend, windowMs: number): Promise<unknown> {
    return this.#scripts.budget(this.#key('budget', `${key}:${windowMs}`), spend.usd, spend.tokens, windowMs, this.#config.budgetSlots);
  }

  budgetAdd(key: string, spend: Spend, windowMs: number, now: number): Observable<Spend> {
    return this.#guard.run('budgetAdd', () => this.#budget(key, spend, windowMs), parseSpend, () => this.#fallback.budgetAdd(key, spend, windowMs, now));
  }

  budgetGet(key: string, windowMs: number, now: number): Observable<Spend> {
    return this.#guard.run(
      'budgetGet',
      () => this.#budget(key, { usd: 0, tokens: 0 }, windowMs),
      parseSpend,
      () => this.#fallback.budgetGet(key, windowMs, now),
    );
  }
}

/** A cached value, or a miss for nothing or for a value that is not JSON (written by something else). */
function parseCached(reply: unknown): unknown {
  if (typeof reply !== 'string') return undefined;
  try {
    return JSON.parse(reply) as unknown;
  } catch {
    return undefined;
  }
}

function parseSpend(reply: unknown): Spend {
  const [usd, tokens] = reply as [string, string];
  return { usd: Number(usd), tokens: Number(tokens) };
}
