import { describe, it, expect } from 'vitest';
import { sampleLatency } from '../../src/emulator/latency.js';
import { seededRandom } from '../../src/emulator/random.js';

describe('sampleLatency', () => {
  it('draws each distribution reproducibly', () => {
    const r = seededRandom(1);
    expect(sampleLatency({ kind: 'fixed', ms: 12 }, r)).toBe(12);
    const uniform = Array.from({ length: 200 }, () => sampleLatency({ kind: 'uniform', minMs: 10, maxMs: 20 }, r));
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(20);
    const a = Array.from({ length: 50 }, (_, i) => sampleLatency({ kind: 'lognormal', medianMs: 30, sigma: 0.5 }, seededRandom(i)));
    const b = Array.from({ length: 50 }, (_, i) => sampleLatency({ kind: 'lognormal', medianMs: 30, sigma: 0.5 }, seededRandom(i)));
    expect(a).toEqual(b);
  });

  it('gives the log-normal its median and the tail its share', () => {
    const r = seededRandom(7);
    const ln = Array.from({ length: 2001 }, () => sampleLatency({ kind: 'lognormal', medianMs: 100, sigma: 0.5 }, r)).sort((x, y) => x - y);
    expect(ln[1000]).toBeGreaterThan(90);
    expect(ln[1000]).toBeLessThan(110);
    const tail = Array.from({ length: 2000 }, () => sampleLatency({ kind: 'tail', baseMs: 5, tailMs: 500, p: 0.1 }, r));
    const slow = tail.filter((t) => t === 500).length / tail.length;
    expect(slow).toBeGreaterThan(0.07);
    expect(slow).toBeLessThan(0.13);
    expect(tail.every((t) => t === 5 || t === 500)).toBe(true);
  });
});
