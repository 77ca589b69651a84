import { describe, expect, it } from 'vitest';
import { backoff, DEFAULT_BACKOFF } from '../../src/strategies/backoff.js';

const fixed = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('backoff', () => {
  it('grows by factor up to maxMs without jitter', () => {
    const delay = backoff({ initialMs: 100, factor: 3, maxMs: 500, jitter: 'none' });
    expect([1, 2, 3, 4].map((n) => delay(n, Math.random))).toEqual([100, 300, 500, 500]);
  });

  it('spreads full jitter over [0, base] and equal jitter over [base/2, base]', () => {
    const full = backoff({ initialMs: 100, factor: 2, maxMs: 10_000, jitter: 'full' });
    const equal = backoff({ initialMs: 100, factor: 2, maxMs: 10_000, jitter: 'equal' });
    const r = fixed(0.5, 0.25, 0);
    expect([full(1, r), full(2, r), full(3, r)]).toEqual([50, 50, 0]);
    expect([equal(1, r), equal(2, r), equal(3, r)]).toEqual([75, 125, 200]);
  });

  it('fills missing fields from the defaults', () => {
    expect(backoff({ jitter: 'none' })(1, Math.random)).toBe(DEFAULT_BACKOFF.initialMs);
  });

  it('rejects bad options, naming them', () => {
    expect(() => backoff({ initialMs: -1 })).toThrow(/backoff\.initialMs/);
    expect(() => backoff({ factor: 0.5 })).toThrow(/backoff\.factor/);
    expect(() => backoff({ initialMs: 100, maxMs: 50 })).toThrow(/backoff\.maxMs/);
    expect(() => backoff({ jitter: 'some' as 'full' })).toThrow(/backoff\.jitter/);
  });
});
