import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/state/lruMap.js';

describe('LruMap', () => {
  it('drops the least recently used entry past its bound, reads refresh', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect([...lru.entries()]).toEqual([['a', 1], ['c', 3]]);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.size).toBe(2);
    expect(lru.delete('a')).toBe(true);
    expect(lru.size).toBe(1);
  });

  it('never drops an entry touched at least once every maxSize / 2 insertions', () => {
    const lru = new LruMap<number, number>(10);
    lru.set(-1, -1);
    for (let i = 0; i < 1_000; i++) {
      lru.set(i, i);
      if (i % 5 === 0) expect(lru.get(-1)).toBe(-1);
    }
    expect(lru.size).toBe(10);
    lru.set(-1, -2);
    expect(lru.get(-1)).toBe(-2);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new LruMap(0)).toThrow(/maxSize/);
    expect(() => new LruMap(1.5)).toThrow(TypeError);
  });
});
