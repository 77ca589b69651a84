import { describe, expect, it } from 'vitest';
import { emaScore } from '../../src/state/scoreEma.js';

describe('emaScore', () => {
  it('takes the first sample as is and moves by alpha afterwards', () => {
    const first = emaScore(undefined, { success: 1, latencyMs: 100, costUsd: 0.002 }, 0.5);
    expect(first).toEqual({ count: 1, success: 1, latencyMs: 100, costUsd: 0.002 });
    expect(emaScore(first, { success: 0, latencyMs: 300, costUsd: 0 }, 0.5)).toEqual({ count: 2, success: 0.5, latencyMs: 200, costUsd: 0.001 });
  });
});
