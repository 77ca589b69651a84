import { describe, it, expect } from 'vitest';
import { hash32, hashUnit, normal, seededRandom } from '../../src/emulator/random.js';

describe('seeded randomness', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(seededRandom(2)()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('hashes parts stably, keeping part boundaries', () => {
    expect(hash32('model', 'prompt', 0)).toBe(hash32('model', 'prompt', 0));
    expect(hash32('ab', 'c')).not.toBe(hash32('a', 'bc'));
    const units = Array.from({ length: 1000 }, (_, i) => hashUnit('m', i));
    const mean = units.reduce((s, u) => s + u, 0) / units.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('draws standard normals', () => {
    const r = seededRandom(3);
    const xs = Array.from({ length: 4000 }, () => normal(r));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(variance).toBeGreaterThan(0.9);
    expect(variance).toBeLessThan(1.1);
  });
});
