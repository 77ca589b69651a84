import type { Observable } from 'rxjs';
import type { CircuitState } from '../core/events.js';

/**
 * What a {@link Store} operation answers: the value itself (the in-memory store
 * answers synchronously, so the hot path allocates no Observable), or an
 * Observable of it (a networked store such as Redis). Read it with `afterReply`.
 */
export type StoreReply<T> = T | Observable<T>;

/** A token bucket: holds up to `capacity` tokens and refills all of them, linearly, over `refillMs`. */
export interface TokenBucket {
  readonly capacity: number;
  readonly refillMs: number;
}

/** One bucket to take from, as part of an all-or-nothing {@link Store.takeTokens}. */
export interface TokenTake extends TokenBucket {
  readonly key: string;
  /** Tokens wanted; clamped to `capacity`; 0 only peeks. */
  readonly amount: number;
}

/** The answer of {@link Store.takeTokens}. */
export interface TokenTakeResult {
  /** True when every bucket had enough, and all were taken from. */
  readonly granted: boolean;
  /** When not granted: ms until every bucket would hold enough (0 when granted). */
  readonly waitMs: number;
  /** Tokens left in each bucket after the take, in the order asked (may be negative after a charge). */
  readonly remaining: readonly number[];
}

/** When a circuit opens, and how it recovers. */
export interface BreakerPolicy {
  /** Open after this many failures in a row. */
  readonly failureThreshold?: number;
  /** Open when the share of failures among the last `window` calls reaches `rate` (after at least `minCalls`). */
  readonly failureRate?: { readonly rate: number; readonly window: number; readonly minCalls: number };
  /** How long the circuit stays open before half-open probes are let through. */
  readonly openForMs: number;
  /** How many probes may be in flight while half-open. */
  readonly halfOpenProbes: number;
}

/** A change of circuit state. */
export interface BreakerTransition {
  readonly from: CircuitState;
  readonly to: CircuitState;
}

/** The answer of {@link Store.breakerAcquire}: may this call go through? */
export interface BreakerPermit {
  readonly permitted: boolean;
  /** True when the call is a half-open probe (its outcome decides the state). */
  readonly probe: boolean;
  readonly state: CircuitState;
  /** For a refused call: ms until the circuit lets probes through again (0 if already half-open). */
  readonly retryAfterMs: number;
  /** Set when acquiring moved the circuit (open → half-open). */
  readonly transition?: BreakerTransition;
}

/** How a permitted call ended: `ignored` frees a probe slot without counting (cancelled, or not the model's fault). */
export type BreakerOutcome = 'success' | 'failure' | 'ignored';

/** The answer of {@link Store.breakerRecord}. */
export interface BreakerUpdate {
  readonly state: CircuitState;
  readonly transition?: BreakerTransition;
}

/** One observation for an adaptive score. */
export interface ScoreSample {
  /** 1 for a success, 0 for a failure. */
  readonly success: number;
  readonly latencyMs: number;
  readonly costUsd: number;
}

/** Exponential moving averages of a model's samples, and how many samples there were. */
export interface ScoreEntry {
  readonly count: number;
  readonly success: number;
  readonly latencyMs: number;
  readonly costUsd: number;
}

/** Money and tokens spent. */
export interface Spend {
  readonly usd: number;
  readonly tokens: number;
}

/**
 * Where stateful strategies keep their state: a small set of domain
 * operations, each of which a networked store can run atomically (one Lua
 * script on Redis, with the server's clock). `now` is the caller's scheduler
 * time; a shared store may use its own clock instead. The in-memory default
 * is {@link MemoryStore}.
 */
export interface Store {
  /** Takes `amount` from every bucket, or from none (all-or-nothing), refilling each first. */
  takeTokens(takes: readonly TokenTake[], now: number): StoreReply<TokenTakeResult>;
  /** Adds `delta` tokens to a bucket (a refund; negative charges), capped at its capacity; answers the new level. */
  adjustTokens(key: string, bucket: TokenBucket, delta: number, now: number): StoreReply<number>;
  /** Asks whether a call may go through the circuit `key`; while half-open, reserves one of the probe slots. */
  breakerAcquire(key: string, policy: BreakerPolicy, now: number): StoreReply<BreakerPermit>;
  /** Records how a permitted call ended; `probe` says whether it held a probe slot. */
  breakerRecord(key: string, policy: BreakerPolicy, outcome: BreakerOutcome, probe: boolean, now: number): StoreReply<BreakerUpdate>;
  /** Folds a sample into the EMA score `key` (`alpha` weights the new sample); answers the merged entry. */
  scoreUpdate(key: string, sample: ScoreSample, alpha: number): StoreReply<ScoreEntry>;
  /** Every score whose key starts with `prefix`. */
  scoreGetAll(prefix: string): StoreReply<ReadonlyMap<string, ScoreEntry>>;
  /** The value cached under `key`, if present and not expired. */
  cacheGet(key: string, now: number): StoreReply<unknown>;
  /** Caches `value` under `key` for `ttlMs`. */
  cacheSet(key: string, value: unknown, ttlMs: number, now: number): StoreReply<void>;
  /** Adds spending to the rolling window `key` of length `windowMs`; answers the window's total. */
  budgetAdd(key: string, spend: Spend, windowMs: number, now: number): StoreReply<Spend>;
  /** The rolling window's total. */
  budgetGet(key: string, windowMs: number, now: number): StoreReply<Spend>;
}
