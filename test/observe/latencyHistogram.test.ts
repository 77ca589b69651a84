import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LatencyHistogram, MAX_TRACKED_LATENCY_MS } from '../../src/observe/index.js';

describe('LatencyHistogram', () => {
  it('gives exact percentiles below 128 ms', () => {
    const h = new LatencyHistogram();
    for (const v of [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) h.record(v);
    expect(h.summary()).toEqual({ count: 10, sum: 550, min: 10, max: 100, mean: 55, p50: 50, p95: 100, p99: 100 });
  });

  it('stays within 1/64 above the true value, never below it, and reads a lone value back exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: MAX_TRACKED_LATENCY_MS }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
        const h = new LatencyHistogram();
        for (const v of values) h.record(v);
        const sorted = [...values].sort((a, b) => a - b);
        const truth = sorted[Math.max(1, Math.ceil((p / 100) * values.length)) - 1]!;
        const got = h.percentile(p);
        expect(got).toBeGreaterThanOrEqual(truth);
        expect(got - truth).toBeLessThanOrEqual(truth / 64);
      }),
    );
    const lone = new LatencyHistogram();
    lone.record(123_457);
    expect([lone.percentile(50), lone.percentile(99)]).toEqual([123_457, 123_457]);
  });

  it('rounds, clamps to [0, one hour], ignores NaN, merges and resets', () => {
    const a = new LatencyHistogram();
    a.record(-5);
    a.record(2.6);
    a.record(Number.NaN);
    a.record(10 * MAX_TRACKED_LATENCY_MS);
    const b = new LatencyHistogram();
    b.record(7);
    b.add(a);
    expect(b.summary()).toMatchObject({ count: 4, min: 0, max: MAX_TRACKED_LATENCY_MS, sum: 0 + 3 + 7 + MAX_TRACKED_LATENCY_MS, p50: 3 });
    b.reset();
    expect(b.summary()).toEqual({ count: 0, sum: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 });
  });
});
