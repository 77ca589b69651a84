import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defer, EMPTY, finalize } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import type { Model } from '../../src/core/model.js';
import { withConcurrency } from '../../src/strategies/withConcurrency.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { at, recordedBus, req } from './statefulKit.js';

const ok = expect.objectContaining({ text: 'ok' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));

describe('withConcurrency', () => {
  it('runs at most n at once, queues FIFO, and fails past maxQueue with queue-full', () => {
    const { bus, seen } = recordedBus('queued');
    const m = scriptedModel('m', [{ after: 3 }, { after: 2 }, { after: 4 }]);
    scheduler().run(({ expectObservable }) => {
      const bulkhead = withConcurrency(m, 1, { maxQueue: 2, events: bus, key: 'b' });
      expectObservable(at(0, bulkhead, req('a'))).toBe('3ms (r|)', { r: ok });
      expectObservable(at(1, bulkhead, req('b'))).toBe('5ms (r|)', { r: ok });
      expectObservable(at(2, bulkhead, req('c'))).toBe('9ms (r|)', { r: ok });
      expectObservable(at(2, bulkhead, req('d'))).toBe('2ms #', undefined, new ModelError('queue-full', 'x'));
    });
    expect(m.calls.map((c) => [c.request.id, c.subscribedAt, c.endedAt])).toEqual([['a', 0, 3], ['b', 3, 5], ['c', 5, 9]]);
    expect(seen).toEqual([
      { type: 'queued', time: 1, requestId: 'b', key: 'b', queueLength: 1 },
      { type: 'queued', time: 2, requestId: 'c', key: 'b', queueLength: 2 },
    ]);
  });

  it('a waiter that unsubscribes leaves the queue; an unsubscribed call frees its slot', () => {
    const m = scriptedModel('m', [{ hang: true }, { after: 1 }]);
    scheduler().run(({ expectObservable }) => {
      const bulkhead = withConcurrency(m, 1, { maxQueue: 1 });
      expectObservable(at(0, bulkhead, req('a')), '^ 9ms !').toBe('');
      expectObservable(at(1, bulkhead, req('b')), '^ 4ms !').toBe('');
      expectObservable(at(6, bulkhead, req('c'))).toBe('11ms (r|)', { r: ok });
    });
    // b left the queue at 5 (never called); c got the slot a freed at 10
    expect(m.calls.map((c) => [c.request.id, c.subscribedAt, c.end])).toEqual([['a', 0, 'unsubscribed'], ['c', 10, 'reply']]);
  });

  it('frees the slot after a sync error or an empty model', () => {
    let calls = 0;
    const throwing: Model = () => {
      calls++;
      throw new ModelError('unavailable', 'down');
    };
    scheduler().run(({ expectObservable }) => {
      const bulkhead = withConcurrency(throwing, 1, { maxQueue: 0 });
      expectObservable(at(0, bulkhead, req('a'))).toBe('#', undefined, new ModelError('unavailable', 'x'));
      expectObservable(at(1, bulkhead, req('b'))).toBe('1ms #', undefined, new ModelError('unavailable', 'x'));
      const empty = withConcurrency(() => EMPTY, 1, { maxQueue: 0 });
      expectObservable(at(0, empty, req('a'))).toBe('|');
      expectObservable(at(1, empty, req('b'))).toBe('1ms |');
    });
    expect(calls).toBe(2);
  });

  it('refuses bad options, naming them', () => {
    const m = scriptedModel('m', [{}]);
    expect(() => withConcurrency(m, 0)).toThrow(/limit/);
    expect(() => withConcurrency(m, 1, { maxQueue: 1.5 })).toThrow(/maxQueue/);
  });

  it('gives every request one outcome and never exceeds the limit (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 8 }), fc.boolean()), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), (arrivals, limit) => {
        let inFlight = 0;
        let peak = 0;
        const counts = new Map<number, number>();
        const m = scriptedModel('m', (_r, i) => {
          const [, after, fail] = arrivals[i % arrivals.length]!;
          return fail ? { after, error: 'timeout' } : { after };
        });
        const observed: Model = (source) =>
          defer(() => {
            peak = Math.max(peak, ++inFlight);
            return m(source).pipe(finalize(() => inFlight--));
          });
        scheduler().run(() => {
          const bulkhead = withConcurrency(observed, limit, { maxQueue: 3 });
          arrivals.forEach(([t], i) => {
            const count = () => counts.set(i, (counts.get(i) ?? 0) + 1);
            at(t, bulkhead, req(`r${i}`)).subscribe({ next: count, error: count });
          });
        });
        return peak <= limit && counts.size === arrivals.length && [...counts.values()].every((n) => n === 1);
      }),
      { numRuns: 60 },
    );
  });
});
