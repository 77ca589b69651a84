import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError, toModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { modelFromCall } from '../core/modelCall.js';
import type { InferenceRequest } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';
import { MemoryStore } from '../state/memoryStore.js';
import type { BreakerOutcome, BreakerPermit, BreakerPolicy, BreakerTransition, Store } from '../state/store.js';
import { fireAndForget, onReply } from '../state/storeReply.js';
import { checkNumber, checkOptionalNumber } from './internal/checkOption.js';
import { instanceKey } from './internal/instanceKey.js';
import { isModelFault } from './internal/modelFault.js';
import { callModel } from '../core/modelCall.js';

/** Options of {@link withCircuitBreaker}: give `failureThreshold`, `failureRate`, or both. */
export interface CircuitBreakerConfig {
  /** Open after this many failures in a row. */
  readonly failureThreshold?: number;
  /** Open when `rate` (0–1) of the last `window` calls failed, once at least `minCalls` were made. */
  readonly failureRate?: { readonly rate: number; readonly window: number; readonly minCalls: number };
  /** A response slower than this counts as a failure (it is still delivered). */
  readonly slowCallMs?: number;
  /** How long the circuit stays open before letting probes through. */
  readonly openForMs: number;
  /** Calls let through while half-open; the rest fail fast. Default 1. */
  readonly halfOpenProbes?: number;
  /** Where the circuit's state lives (share one across processes with a Redis store). Default: a private MemoryStore. */
  readonly store?: Store;
  /** The circuit's key in the store. Default: one per wrapper instance. */
  readonly key?: string;
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

function policyOf(config: CircuitBreakerConfig): BreakerPolicy {
  const owner = 'withCircuitBreaker';
  if (config.failureThreshold === undefined && config.failureRate === undefined) {
    throw new TypeError(`${owner}: give failureThreshold or failureRate`);
  }
  checkOptionalNumber(owner, 'failureThreshold', config.failureThreshold, 1, true);
  const rate = config.failureRate;
  if (rate !== undefined) {
    if (typeof rate !== 'object' || rate === null) throw new TypeError(`${owner}: failureRate must be { rate, window, minCalls }`);
    checkNumber(owner, 'failureRate.rate', rate.rate, 0);
    if (rate.rate > 1 || rate.rate === 0) throw new TypeError(`${owner}: failureRate.rate must be in (0, 1], got ${rate.rate}`);
    checkNumber(owner, 'failureRate.window', rate.window, 1, true);
    checkNumber(owner, 'failureRate.minCalls', rate.minCalls, 1, true);
  }
  checkOptionalNumber(owner, 'slowCallMs', config.slowCallMs, 0);
  return {
    ...(config.failureThreshold === undefined ? {} : { failureThreshold: config.failureThreshold }),
    ...(rate === undefined ? {} : { failureRate: { rate: rate.rate, window: rate.window, minCalls: rate.minCalls } }),
    openForMs: checkNumber(owner, 'openForMs', config.openForMs, 0),
    halfOpenProbes: checkNumber(owner, 'halfOpenProbes', config.halfOpenProbes ?? 1, 1, true),
  };
}

/**
 * A circuit breaker around `model`. Closed, it passes calls and counts the
 * model's failures (not validation, guardrail or cancellation; slow calls do
 * count); tripped, it opens and fails every call at once with `circuit-open`
 * (carrying `retryAfterMs`) without calling the model, so a fallback moves on
 * immediately. After `openForMs` it is half-open: `halfOpenProbes` calls go
 * through and the rest fail fast; a probe's success closes it, a probe's
 * failure reopens it. Every change is a `circuit-state` event.
 *
 * ```text
 * failureThreshold: 2, openForMs: 10; each call of the model takes 1 ms (2 ms for d)
 * t:       0  1  2  3  4 … 13 14 15 16
 * a:       ●──#                            failure 1
 * b:             ●──#                      failure 2: closed → open at 3
 * c:                   C                   circuit-open at once, no call (retryAfterMs 9)
 * d:                        ●─────r        open → half-open at 13: d is the probe
 * e:                           C           probe slot taken: fails fast
 * f:                                 ●─…   d succeeded: half-open → closed at 15
 * ```
 *
 * Emits: the model's response or error, `circuit-open`.
 *
 * @example
 * ```ts
 * const guarded = withCircuitBreaker(model, { failureThreshold: 5, openForMs: 30_000, events: bus });
 * ```
 */
export function withCircuitBreaker(model: Model, config: CircuitBreakerConfig): Model {
  const policy = policyOf(config);
  const store = config.store ?? new MemoryStore({ maxKeys: 16 });
  const key = config.key ?? instanceKey('circuit');
  const events = config.events ?? NO_EVENTS;
  const slowCallMs = config.slowCallMs ?? Number.POSITIVE_INFINITY;
  const announce = (transition: BreakerTransition | undefined, time: number, requestId: string) => {
    if (transition) events.emit({ type: 'circuit-state', time, requestId, key, from: transition.from, to: transition.to });
  };

  const call = (request: InferenceRequest): Observable<InferenceResponse> =>
    // Hand-written rather than an operator chain: this runs for every request and must cost little.
    new Observable<InferenceResponse>((subscriber) => {
      const scheduler = schedulerOf(config);
      const now = scheduler.now();
      let probe: boolean | undefined;
      let settled = false;
      let inner: Subscription | undefined;
      let recording: Subscription | undefined;
      const record = (outcome: BreakerOutcome, at: number, then: () => void) => {
        settled = true;
        recording = onReply(store.breakerRecord(key, policy, outcome, probe!, at), (update) => (announce(update.transition, at, request.id), then()), then);
      };
      const start = (permit: BreakerPermit) => {
        announce(permit.transition, now, request.id);
        if (!permit.permitted) {
          subscriber.error(new ModelError('circuit-open', `circuit ${key} is ${permit.state}`, { requestId: request.id, retryAfterMs: permit.retryAfterMs }));
          return;
        }
        probe = permit.probe;
        inner = callModel(model, request).subscribe({
          next: (response) => {
            if (settled) return;
            const at = scheduler.now();
            record(at - now >= slowCallMs ? 'failure' : 'success', at, () => (subscriber.next(response), subscriber.complete()));
          },
          error: (raw: unknown) => {
            const error = toModelError(raw, { requestId: request.id });
            if (settled) subscriber.error(error);
            else record(isModelFault(error) ? 'failure' : 'ignored', scheduler.now(), () => subscriber.error(error));
          },
          complete: () => {
            if (settled) return;
            record('ignored', scheduler.now(), () => subscriber.complete());
          },
        });
      };
      const acquiring = onReply(store.breakerAcquire(key, policy, now), start, (e) => subscriber.error(toModelError(e, { requestId: request.id })));
      return () => {
        acquiring?.unsubscribe();
        recording?.unsubscribe();
        inner?.unsubscribe();
        if (probe !== undefined && !settled) {
          settled = true;
          fireAndForget(store.breakerRecord(key, policy, 'ignored', probe, scheduler.now()));
        }
      };
    });

  return modelFromCall(call);
}
