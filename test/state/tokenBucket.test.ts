import { describe, expect, it } from 'vitest';
import { fullBucket, refill, waitFor } from '../../src/state/tokenBucket.js';

const rpm2 = { capacity: 2, refillMs: 60_000 };

describe('token bucket math', () => {
  it('refills linearly up to capacity', () => {
    expect(refill({ tokens: 0, at: 0 }, rpm2, 30_000)).toEqual({ tokens: 1, at: 30_000 });
    expect(refill({ tokens: 0, at: 0 }, rpm2, 600_000)).toEqual({ tokens: 2, at: 600_000 });
    expect(refill({ tokens: 1, at: 10 }, rpm2, 5)).toEqual({ tokens: 1, at: 10 });
    const level = { tokens: 0, at: 0 };
    expect(refill(level, rpm2, 15_000)).toBe(level);
    expect(level).toEqual({ tokens: 0.5, at: 15_000 });
    expect(fullBucket(rpm2, 7)).toEqual({ tokens: 2, at: 7 });
  });

  it('computes exact whole-ms waits despite float error', () => {
    expect(waitFor({ tokens: 0, at: 0 }, rpm2, 1)).toBe(30_000);
    expect(waitFor({ tokens: 0, at: 0 }, { capacity: 3, refillMs: 60_000 }, 1)).toBe(20_000);
    expect(waitFor({ tokens: 0.5, at: 0 }, rpm2, 1)).toBe(15_000);
    expect(waitFor({ tokens: 1, at: 0 }, rpm2, 1)).toBe(0);
  });
});
