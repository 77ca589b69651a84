import { describe, expect, it } from 'vitest';
import { RollingSpend } from '../../src/state/rollingSpend.js';

describe('RollingSpend', () => {
  it('counts spending until its slot leaves the window', () => {
    const window = new RollingSpend(100, 10);
    expect(window.add({ usd: 1, tokens: 10 }, 5)).toEqual({ usd: 1, tokens: 10 });
    expect(window.add({ usd: 2, tokens: 20 }, 55)).toEqual({ usd: 3, tokens: 30 });
    expect(window.total(99)).toEqual({ usd: 3, tokens: 30 });
    expect(window.total(100)).toEqual({ usd: 2, tokens: 20 });
    expect(window.total(150)).toEqual({ usd: 0, tokens: 0 });
    expect(window.add({ usd: 1, tokens: 1 }, 10_000)).toEqual({ usd: 1, tokens: 1 });
  });
});
