import { describe, it, expect } from 'vitest';
import { SlidingWindow } from '../../src/emulator/quota.js';

describe('SlidingWindow', () => {
  it('sums what was added in the last 60 s', () => {
    const w = new SlidingWindow();
    w.add(1_000, 3);
    w.add(30_000, 4);
    expect(w.total(30_000)).toBe(7);
    expect(w.total(60_999)).toBe(7);
    expect(w.total(61_000)).toBe(4);
    expect(w.total(90_000)).toBe(0);
  });

  it('forgets everything after a long gap', () => {
    const w = new SlidingWindow();
    w.add(0, 10);
    expect(w.total(10 * 60_000)).toBe(0);
    w.add(10 * 60_000, 1);
    expect(w.total(10 * 60_000 + 5)).toBe(1);
  });
});
