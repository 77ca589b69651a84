import type { BreakerOutcome, BreakerPermit, BreakerPolicy, BreakerUpdate } from './store.js';
import type { CircuitState } from '../core/events.js';

/**
 * One circuit's state, as the in-memory store keeps it (mutated in place: it
 * sits behind a store key, not in a stream). Fixed size whatever the traffic:
 * the failure-rate window is a ring of `window` bits.
 */
export interface BreakerMemo {
  state: CircuitState;
  openedAt: number;
  consecutiveFailures: number;
  /** Ring of the last calls' outcomes (1 = failure), present with a failure-rate policy. */
  readonly ring: Uint8Array | undefined;
  ringNext: number;
  ringCalls: number;
  ringFailures: number;
  /** Probes in flight while half-open. */
  probes: number;
}

/** A closed circuit for `policy`. */
export function closedBreaker(policy: BreakerPolicy): BreakerMemo {
  return {
    state: 'closed',
    openedAt: 0,
    consecutiveFailures: 0,
    ring: policy.failureRate ? new Uint8Array(policy.failureRate.window) : undefined,
    ringNext: 0,
    ringCalls: 0,
    ringFailures: 0,
    probes: 0,
  };
}

function resetCounts(memo: BreakerMemo): void {
  memo.consecutiveFailures = 0;
  memo.ring?.fill(0);
  memo.ringNext = 0;
  memo.ringCalls = 0;
  memo.ringFailures = 0;
}

/** The permit of every call through a closed circuit (one shared, frozen object: this is the hot path). */
const CLOSED_PERMIT: BreakerPermit = Object.freeze({ permitted: true, probe: false, state: 'closed', retryAfterMs: 0 });

/**
 * Decides whether a call may go through at `now`: always when closed; never
 * while open (until `openForMs` passed, when the circuit turns half-open);
 * while half-open, only as one of `halfOpenProbes` probes.
 */
export function acquireBreaker(memo: BreakerMemo, policy: BreakerPolicy, now: number): BreakerPermit {
  if (memo.state === 'closed') return CLOSED_PERMIT;
  let transition: BreakerPermit['transition'];
  if (memo.state === 'open') {
    const reopensAt = memo.openedAt + policy.openForMs;
    if (now < reopensAt) return { permitted: false, probe: false, state: 'open', retryAfterMs: reopensAt - now };
    memo.state = 'half-open';
    memo.probes = 0;
    transition = { from: 'open', to: 'half-open' };
  }
  const permitted = memo.probes < policy.halfOpenProbes;
  if (permitted) memo.probes++;
  const permit: BreakerPermit = { permitted, probe: permitted, state: 'half-open', retryAfterMs: 0 };
  return transition ? { ...permit, transition } : permit;
}

function tripped(memo: BreakerMemo, policy: BreakerPolicy): boolean {
  if (policy.failureThreshold !== undefined && memo.consecutiveFailures >= policy.failureThreshold) return true;
  const rate = policy.failureRate;
  return rate !== undefined && memo.ringCalls >= rate.minCalls && memo.ringFailures >= rate.rate * memo.ringCalls;
}

function open(memo: BreakerMemo, now: number): BreakerUpdate {
  const from = memo.state;
  memo.state = 'open';
  memo.openedAt = now;
  memo.probes = 0;
  resetCounts(memo);
  return { state: 'open', transition: { from, to: 'open' } };
}

/**
 * Records how a permitted call ended. A probe's success closes a half-open
 * circuit and its failure reopens it; a closed circuit counts failures and
 * opens when the policy trips. Outcomes of calls that began in an earlier
 * state (not probes while half-open, anything while open) change nothing.
 */
export function recordBreaker(memo: BreakerMemo, policy: BreakerPolicy, outcome: BreakerOutcome, probe: boolean, now: number): BreakerUpdate {
  if (probe) {
    if (memo.probes > 0) memo.probes--;
    if (memo.state !== 'half-open' || outcome === 'ignored') return { state: memo.state };
    if (outcome === 'failure') return open(memo, now);
    memo.state = 'closed';
    resetCounts(memo);
    return { state: 'closed', transition: { from: 'half-open', to: 'closed' } };
  }
  if (memo.state !== 'closed' || outcome === 'ignored') return { state: memo.state };
  const failed = outcome === 'failure' ? 1 : 0;
  memo.consecutiveFailures = failed ? memo.consecutiveFailures + 1 : 0;
  const ring = memo.ring;
  if (ring) {
    if (memo.ringCalls === ring.length) memo.ringFailures -= ring[memo.ringNext]!;
    else memo.ringCalls++;
    ring[memo.ringNext] = failed;
    memo.ringFailures += failed;
    memo.ringNext = (memo.ringNext + 1) % ring.length;
  }
  return tripped(memo, policy) ? open(memo, now) : { state: 'closed' };
}
