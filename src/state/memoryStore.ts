import { acquireBreaker, closedBreaker, recordBreaker, type BreakerMemo } from './breakerState.js';
import { LruMap } from './lruMap.js';
import { RollingSpend } from './rollingSpend.js';
import { emaScore } from './scoreEma.js';
import { fullBucket, refill, waitFor, type BucketLevel } from './tokenBucket.js';
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
} from './store.js';

/** Bounds of a {@link MemoryStore}; each map drops its least recently used key past its bound. */
export interface MemoryStoreConfig {
  /** Most keys in each of the bucket, breaker, score and budget maps. Default 10,000. */
  readonly maxKeys?: number;
  /** Most cached values. Default 1,000. */
  readonly maxCacheEntries?: number;
  /** Slots of a rolling budget window (its time resolution is `windowMs / slots`). Default 60. */
  readonly budgetSlots?: number;
}

interface CacheEntry {
  readonly value: unknown;
  readonly expiresAt: number;
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`MemoryStore: ${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * The default {@link Store}: plain maps in this process, answering
 * synchronously (no Observable, no timer), each map a bounded LRU.
 *
 * @example
 * ```ts
 * const store = new MemoryStore({ maxKeys: 1000 });
 * const limited = withRateLimit(model, { rpm: 60, mode: 'wait', store, key: 'nova' });
 * ```
 */
export class MemoryStore implements Store {
  readonly #buckets: LruMap<string, BucketLevel>;
  readonly #breakers: LruMap<string, BreakerMemo>;
  readonly #scores: LruMap<string, ScoreEntry>;
  readonly #cache: LruMap<string, CacheEntry>;
  readonly #budgets: LruMap<string, RollingSpend>;
  readonly #budgetSlots: number;

  constructor(config: MemoryStoreConfig = {}) {
    const maxKeys = positiveInt('maxKeys', config.maxKeys, 10_000);
    this.#buckets = new LruMap(maxKeys);
    this.#breakers = new LruMap(maxKeys);
    this.#scores = new LruMap(maxKeys);
    this.#budgets = new LruMap(maxKeys);
    this.#cache = new LruMap(positiveInt('maxCacheEntries', config.maxCacheEntries, 1_000));
    this.#budgetSlots = positiveInt('budgetSlots', config.budgetSlots, 60);
  }

  /** How many keys each map holds (for tests and metrics). */
  sizes(): { buckets: number; breakers: number; scores: number; cache: number; budgets: number } {
    return {
      buckets: this.#buckets.size,
      breakers: this.#breakers.size,
      scores: this.#scores.size,
      cache: this.#cache.size,
      budgets: this.#budgets.size,
    };
  }

  #level(key: string, bucket: TokenBucket, now: number): BucketLevel {
    const level = this.#buckets.get(key);
    if (level !== undefined) return refill(level, bucket, now);
    const full = fullBucket(bucket, now);
    this.#buckets.set(key, full);
    return full;
  }

  takeTokens(takes: readonly TokenTake[], now: number): TokenTakeResult {
    const levels: BucketLevel[] = new Array<BucketLevel>(takes.length);
    let waitMs = 0;
    for (let i = 0; i < takes.length; i++) {
      const take = takes[i]!;
      levels[i] = this.#level(take.key, take, now);
      waitMs = Math.max(waitMs, waitFor(levels[i]!, take, Math.min(take.amount, take.capacity)));
    }
    const granted = waitMs === 0;
    const remaining = new Array<number>(takes.length);
    for (let i = 0; i < takes.length; i++) {
      const take = takes[i]!;
      if (granted) levels[i]!.tokens -= Math.min(take.amount, take.capacity);
      remaining[i] = levels[i]!.tokens;
    }
    return { granted, waitMs, remaining };
  }

  adjustTokens(key: string, bucket: TokenBucket, delta: number, now: number): number {
    const level = this.#level(key, bucket, now);
    level.tokens = Math.min(bucket.capacity, level.tokens + delta);
    return level.tokens;
  }

  #breaker(key: string, policy: BreakerPolicy): BreakerMemo {
    let memo = this.#breakers.get(key);
    if (memo === undefined) {
      memo = closedBreaker(policy);
      this.#breakers.set(key, memo);
    }
    return memo;
  }

  breakerAcquire(key: string, policy: BreakerPolicy, now: number): BreakerPermit {
    return acquireBreaker(this.#breaker(key, policy), policy, now);
  }

  breakerRecord(key: string, policy: BreakerPolicy, outcome: BreakerOutcome, probe: boolean, now: number): BreakerUpdate {
    return recordBreaker(this.#breaker(key, policy), policy, outcome, probe, now);
  }

  scoreUpdate(key: string, sample: ScoreSample, alpha: number): ScoreEntry {
    const entry = emaScore(this.#scores.get(key), sample, alpha);
    this.#scores.set(key, entry);
    return entry;
  }

  scoreGetAll(prefix: string): ReadonlyMap<string, ScoreEntry> {
    const found = new Map<string, ScoreEntry>();
    for (const [key, entry] of this.#scores.entries()) if (key.startsWith(prefix)) found.set(key, entry);
    return found;
  }

  cacheGet(key: string, now: number): unknown {
    const entry = this.#cache.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAt) {
      this.#cache.delete(key);
      return undefined;
    }
    return entry.value;
  }

  cacheSet(key: string, value: unknown, ttlMs: number, now: number): void {
    this.#cache.set(key, { value, expiresAt: now + ttlMs });
  }

  #window(key: string, windowMs: number): RollingSpend {
    let window = this.#budgets.get(key);
    if (window === undefined || window.windowMs !== windowMs) {
      window = new RollingSpend(windowMs, this.#budgetSlots);
      this.#budgets.set(key, window);
    }
    return window;
  }

  budgetAdd(key: string, spend: Spend, windowMs: number, now: number): Spend {
    return this.#window(key, windowMs).add(spend, now);
  }

  budgetGet(key: string, windowMs: number, now: number): Spend {
    return this.#window(key, windowMs).total(now);
  }
}
