import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryStore } from '../../src/state/memoryStore.js';
import type { BreakerPolicy } from '../../src/state/store.js';

const rpm = { key: 'k:rpm', capacity: 2, refillMs: 60_000 };
const tpm = { key: 'k:tpm', capacity: 100, refillMs: 60_000 };

describe('MemoryStore', () => {
  it('takes from several buckets all-or-nothing and says how long to wait', () => {
    const store = new MemoryStore();
    expect(store.takeTokens([{ ...rpm, amount: 1 }, { ...tpm, amount: 60 }], 0)).toEqual({ granted: true, waitMs: 0, remaining: [1, 40] });
    // rpm has a token, tpm lacks 20 (= 12 s at 100 per minute): nothing is taken
    expect(store.takeTokens([{ ...rpm, amount: 1 }, { ...tpm, amount: 60 }], 0)).toEqual({ granted: false, waitMs: 12_000, remaining: [1, 40] });
    const later = store.takeTokens([{ ...rpm, amount: 1 }, { ...tpm, amount: 60 }], 12_000);
    expect(later).toMatchObject({ granted: true, waitMs: 0 });
    expect(later.remaining[0]).toBeCloseTo(0.4, 12);
    expect(later.remaining[1]).toBe(0);
    expect(store.takeTokens([{ ...rpm, amount: 0 }], 12_000).remaining[0]).toBeCloseTo(0.4, 12);
  });

  it('clamps a take above capacity and adjusts (refund or charge) up to capacity', () => {
    const store = new MemoryStore();
    expect(store.takeTokens([{ ...tpm, amount: 500 }], 0).remaining).toEqual([0]);
    expect(store.adjustTokens(tpm.key, tpm, 30, 0)).toBe(30);
    expect(store.adjustTokens(tpm.key, tpm, -50, 0)).toBe(-20);
    expect(store.adjustTokens(tpm.key, tpm, 1_000, 0)).toBe(100);
  });

  it('keeps circuits by key', () => {
    const store = new MemoryStore();
    const policy: BreakerPolicy = { failureThreshold: 1, openForMs: 10, halfOpenProbes: 1 };
    expect(store.breakerRecord('a', policy, 'failure', false, 0).state).toBe('open');
    expect(store.breakerAcquire('a', policy, 1).permitted).toBe(false);
    expect(store.breakerAcquire('b', policy, 1).permitted).toBe(true);
  });

  it('folds scores and lists them by prefix', () => {
    const store = new MemoryStore();
    store.scoreUpdate('p|x', { success: 1, latencyMs: 10, costUsd: 0 }, 0.5);
    expect(store.scoreUpdate('p|x', { success: 0, latencyMs: 30, costUsd: 0 }, 0.5)).toEqual({ count: 2, success: 0.5, latencyMs: 20, costUsd: 0 });
    store.scoreUpdate('q|y', { success: 1, latencyMs: 10, costUsd: 0 }, 0.5);
    expect([...store.scoreGetAll('p|').keys()]).toEqual(['p|x']);
  });

  it('expires cached values after their TTL', () => {
    const store = new MemoryStore();
    store.cacheSet('k', 'v', 10, 0);
    expect(store.cacheGet('k', 9)).toBe('v');
    expect(store.cacheGet('k', 10)).toBeUndefined();
    expect(store.sizes().cache).toBe(0);
  });

  it('sums budgets over a rolling window', () => {
    const store = new MemoryStore({ budgetSlots: 10 });
    store.budgetAdd('b', { usd: 1, tokens: 5 }, 100, 0);
    expect(store.budgetGet('b', 100, 50)).toEqual({ usd: 1, tokens: 5 });
    expect(store.budgetGet('b', 100, 100)).toEqual({ usd: 0, tokens: 0 });
  });

  it('refuses bad bounds, naming the option', () => {
    expect(() => new MemoryStore({ maxKeys: 0 })).toThrow(/maxKeys/);
    expect(() => new MemoryStore({ maxCacheEntries: -1 })).toThrow(/maxCacheEntries/);
    expect(() => new MemoryStore({ budgetSlots: 2.5 })).toThrow(/budgetSlots/);
  });

  it('stays within its bounds however many keys are used (property)', () => {
    const policy: BreakerPolicy = { failureThreshold: 3, openForMs: 10, halfOpenProbes: 1 };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 4 })), { maxLength: 300 }), fc.integer({ min: 1, max: 20 }), (ops, bound) => {
        const store = new MemoryStore({ maxKeys: bound, maxCacheEntries: bound });
        ops.forEach(([key, op], now) => {
          if (op === 0) store.takeTokens([{ key, capacity: 5, refillMs: 100, amount: 1 }], now);
          else if (op === 1) store.breakerRecord(key, policy, 'failure', false, now);
          else if (op === 2) store.scoreUpdate(key, { success: 1, latencyMs: 1, costUsd: 0 }, 0.1);
          else if (op === 3) store.cacheSet(key, now, 1_000, now);
          else store.budgetAdd(key, { usd: 1, tokens: 1 }, 1_000, now);
        });
        const sizes = store.sizes();
        return Object.values(sizes).every((n) => n <= bound);
      }),
    );
  });
});
