import { describe, expect, it } from 'vitest';
import { acquireBreaker, closedBreaker, recordBreaker } from '../../src/state/breakerState.js';
import type { BreakerPolicy } from '../../src/state/store.js';

describe('breaker state machine', () => {
  it('opens after consecutive failures, half-opens after openForMs, a probe success closes', () => {
    const policy: BreakerPolicy = { failureThreshold: 2, openForMs: 10, halfOpenProbes: 1 };
    const memo = closedBreaker(policy);
    expect(recordBreaker(memo, policy, 'failure', false, 0)).toEqual({ state: 'closed' });
    expect(recordBreaker(memo, policy, 'success', false, 1)).toEqual({ state: 'closed' });
    expect(recordBreaker(memo, policy, 'failure', false, 2)).toEqual({ state: 'closed' });
    expect(recordBreaker(memo, policy, 'failure', false, 3)).toEqual({ state: 'open', transition: { from: 'closed', to: 'open' } });
    expect(acquireBreaker(memo, policy, 12)).toEqual({ permitted: false, probe: false, state: 'open', retryAfterMs: 1 });
    expect(acquireBreaker(memo, policy, 13)).toEqual({
      permitted: true, probe: true, state: 'half-open', retryAfterMs: 0, transition: { from: 'open', to: 'half-open' },
    });
    expect(acquireBreaker(memo, policy, 14)).toEqual({ permitted: false, probe: false, state: 'half-open', retryAfterMs: 0 });
    expect(recordBreaker(memo, policy, 'success', false, 14)).toEqual({ state: 'half-open' });
    expect(recordBreaker(memo, policy, 'success', true, 15)).toEqual({ state: 'closed', transition: { from: 'half-open', to: 'closed' } });
  });

  it('a probe failure reopens; an ignored probe frees its slot', () => {
    const policy: BreakerPolicy = { failureThreshold: 1, openForMs: 5, halfOpenProbes: 1 };
    const memo = closedBreaker(policy);
    recordBreaker(memo, policy, 'failure', false, 0);
    expect(acquireBreaker(memo, policy, 5).probe).toBe(true);
    expect(recordBreaker(memo, policy, 'ignored', true, 6)).toEqual({ state: 'half-open' });
    expect(acquireBreaker(memo, policy, 6).probe).toBe(true);
    expect(recordBreaker(memo, policy, 'failure', true, 7)).toEqual({ state: 'open', transition: { from: 'half-open', to: 'open' } });
    expect(acquireBreaker(memo, policy, 11)).toMatchObject({ permitted: false, retryAfterMs: 1 });
  });

  it('opens on a failure rate over a sliding window once minCalls were made', () => {
    const policy: BreakerPolicy = { failureRate: { rate: 0.5, window: 4, minCalls: 4 }, openForMs: 5, halfOpenProbes: 1 };
    const memo = closedBreaker(policy);
    const states = ['failure', 'success', 'success', 'success', 'failure', 'failure'].map(
      (o, t) => recordBreaker(memo, policy, o as 'failure' | 'success', false, t).state,
    );
    // window after t=5: [success, success, failure, failure] → 2/4 = 0.5
    expect(states).toEqual(['closed', 'closed', 'closed', 'closed', 'closed', 'open']);
  });
});
