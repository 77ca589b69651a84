import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { count, EMPTY, from, of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import type { Model } from '../../src/core/model.js';
import { withRateLimit } from '../../src/strategies/withRateLimit.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { MemoryStore } from '../../src/state/memoryStore.js';
import { at, delayedStore, recordedBus, req } from './statefulKit.js';

const throttled = new ModelError('throttled', 'x');
const ok = expect.objectContaining({ text: 'ok' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const callTimes = (m: { calls: readonly { request: { id: string }; subscribedAt: number }[] }) => m.calls.map((c) => [c.request.id, c.subscribedAt]);

describe('withRateLimit', () => {
  it('waits in FIFO order for the token bucket, at exact times, and throttles what would wait past maxWaitMs', () => {
    const { bus, seen } = recordedBus('throttled', 'queued');
    const m = scriptedModel('m', [{ after: 1 }]);
    scheduler().run(({ expectObservable }) => {
      const limited = withRateLimit(m, { rpm: 2, mode: 'wait', maxWaitMs: 60_000, events: bus, key: 'k' });
      expectObservable(at(0, limited, req('a'))).toBe('1ms (r|)', { r: ok });
      expectObservable(at(0, limited, req('b'))).toBe('1ms (r|)', { r: ok });
      expectObservable(at(0, limited, req('c'))).toBe('30001ms (r|)', { r: ok });
      expectObservable(at(0, limited, req('d'))).toBe('60001ms (r|)', { r: ok });
      expectObservable(at(0, limited, req('e'))).toBe('#', undefined, throttled);
    });
    expect(callTimes(m)).toEqual([['a', 0], ['b', 0], ['c', 30_000], ['d', 60_000]]);
    expect(seen).toEqual([
      { type: 'throttled', time: 0, requestId: 'c', key: 'k', waitMs: 30_000, queued: true },
      { type: 'queued', time: 0, requestId: 'c', key: 'k', queueLength: 1 },
      { type: 'throttled', time: 0, requestId: 'd', key: 'k', waitMs: 60_000, queued: true },
      { type: 'queued', time: 0, requestId: 'd', key: 'k', queueLength: 2 },
      { type: 'throttled', time: 0, requestId: 'e', key: 'k', waitMs: 90_000, queued: false },
    ]);
  });

  it('serves a queue in arrival order', () => {
    const m = scriptedModel('m', [{}]);
    scheduler().run(() => {
      const limited = withRateLimit(m, { rpm: 1, mode: 'wait', maxWaitMs: 1_000_000 });
      ['a', 'b', 'c', 'd'].forEach((id, i) => at(i, limited, req(id)).subscribe());
    });
    expect(callTimes(m)).toEqual([['a', 0], ['b', 60_000], ['c', 120_000], ['d', 180_000]]);
  });

  it('rejects at once in reject mode, with retryAfterMs, so a fallback can move on', () => {
    const m = scriptedModel('m', [{}]);
    const errors: ModelError[] = [];
    scheduler().run(({ expectObservable }) => {
      const limited = withRateLimit(m, { rpm: 1, mode: 'reject' });
      expectObservable(at(0, limited, req('a'))).toBe('(r|)', { r: ok });
      expectObservable(at(10, limited, req('b'))).toBe('10ms #', undefined, throttled);
      at(10, limited, req('b2')).subscribe({ error: (e) => errors.push(e) });
      expectObservable(at(60_000, limited, req('c'))).toBe('60000ms (r|)', { r: ok });
    });
    expect(errors[0]!.retryAfterMs).toBe(59_990);
  });

  it('reserves input estimate + maxTokens and settles with actual usage', () => {
    // "hello there!" is 12 chars = 3 tokens; reserve 3 + 50 = 53 of 100; the answer bills 3 + 7 = 10, refunding 43
    const m = scriptedModel('m', [{ usage: { inputTokens: 3, outputTokens: 7 } }, { after: 10_000, usage: { inputTokens: 3, outputTokens: 7 } }]);
    scheduler().run(() => {
      const limited = withRateLimit(m, { tpm: 100, mode: 'wait', defaultMaxTokens: 50 });
      at(0, limited, req('a', 'hello there!')).subscribe();
      at(0, limited, req('b', 'hello there!')).subscribe(); // 90 left → granted, 37 left until it answers at 10000
      at(0, limited, req('c', 'hello there!', { inferenceConfig: { maxTokens: 47 } })).subscribe(); // wants 50, misses 13 → 7800 ms
    });
    expect(callTimes(m)).toEqual([['a', 0], ['b', 0], ['c', 7_800]]);
  });

  it('lets a queued request go as soon as a settled answer refunds enough', () => {
    const m = scriptedModel('m', [{ after: 10, usage: { inputTokens: 3, outputTokens: 7 } }]);
    scheduler().run(() => {
      const limited = withRateLimit(m, { tpm: 100, mode: 'wait', defaultMaxTokens: 50 });
      at(0, limited, req('a', 'hello there!')).subscribe();
      at(0, limited, req('b', 'hello there!')).subscribe(); // 47 left, wants 53: would wait 3600 ms
    });
    expect(callTimes(m)).toEqual([['a', 0], ['b', 10]]);
  });

  it('a waiting request that unsubscribes leaves the queue', () => {
    const m = scriptedModel('m', [{}]);
    scheduler().run(({ expectObservable }) => {
      const limited = withRateLimit(m, { rpm: 1, mode: 'wait', maxWaitMs: 60_000 });
      at(0, limited, req('a')).subscribe();
      expectObservable(at(0, limited, req('b')), '^ 4ms !').toBe('');
      // with b gone, c is first in line: one token, 59,990 ms away
      expectObservable(at(10, limited, req('c'))).toBe('60000ms (r|)', { r: ok });
    });
    expect(callTimes(m)).toEqual([['a', 0], ['c', 60_000]]);
  });

  it('bounds the queue with maxQueue', () => {
    const m = scriptedModel('m', [{}]);
    scheduler().run(({ expectObservable }) => {
      const limited = withRateLimit(m, { rpm: 1, mode: 'wait', maxWaitMs: 1_000_000, maxQueue: 1 });
      at(0, limited, req('a')).subscribe();
      at(0, limited, req('b')).subscribe();
      expectObservable(at(1, limited, req('c'))).toBe('1ms #', undefined, throttled);
    });
  });

  it('passes sync errors, empty and never through, freeing nothing it should keep', () => {
    const throwing: Model = () => {
      throw new ModelError('unavailable', 'down');
    };
    scheduler().run(({ expectObservable }) => {
      expectObservable(at(0, withRateLimit(throwing, { rpm: 5, mode: 'reject' }), req('a'))).toBe('#', undefined, new ModelError('unavailable', 'x'));
      expectObservable(at(0, withRateLimit(() => EMPTY, { rpm: 5, mode: 'reject' }), req('a'))).toBe('|');
      const never = withRateLimit(scriptedModel('n', [{ hang: true }]), { rpm: 5, mode: 'reject' });
      expectObservable(at(0, never, req('a')), '^ 5ms !').toBe('');
    });
  });

  it('refuses bad options, naming them', () => {
    const m = scriptedModel('m', [{}]);
    expect(() => withRateLimit(m, { mode: 'wait' })).toThrow(/rpm or tpm/);
    expect(() => withRateLimit(m, { rpm: 0, mode: 'wait' })).toThrow(/rpm/);
    expect(() => withRateLimit(m, { rpm: 1, mode: 'later' as 'wait' })).toThrow(/mode/);
    expect(() => withRateLimit(m, { rpm: 1, mode: 'wait', maxQueue: -1 })).toThrow(/maxQueue/);
    expect(() => withRateLimit(m, { rpm: 1, mode: 'wait', maxWaitMs: Number.NaN })).toThrow(/maxWaitMs/);
  });

  it('gives every request exactly one outcome under any arrivals (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 25 }),
        fc.constantFrom<'wait' | 'reject'>('wait', 'reject'),
        (arrivals, mode) => {
          const counts = new Map<number, number>();
          const m = scriptedModel('m', (_r, i) => (arrivals[i % arrivals.length]![2] ? { after: 5, error: 'unavailable' } : { after: 5 }));
          scheduler().run(() => {
            const limited = withRateLimit(m, { rpm: 2, tpm: 3_000, mode, maxWaitMs: 90_000, maxQueue: 4 });
            arrivals.forEach(([t], i) => {
              const count = () => counts.set(i, (counts.get(i) ?? 0) + 1);
              at(t, limited, req(`r${i}`)).subscribe({ next: count, error: count });
            });
          });
          return counts.size === arrivals.length && [...counts.values()].every((n) => n === 1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('works with a store that answers asynchronously', () => {
    const m = scriptedModel('m', [{}]);
    scheduler().run(({ expectObservable }) => {
      const limited = withRateLimit(m, { rpm: 1, mode: 'wait', store: delayedStore(new MemoryStore(), 1) });
      expectObservable(at(0, limited, req('a'))).toBe('1ms (r|)', { r: ok });
      expectObservable(at(0, limited, req('b'))).toBe('60002ms (r|)', { r: ok });
    });
    expect(callTimes(m)).toEqual([['a', 1], ['b', 60_002]]);
  });

  it('works with of() for one request', () => {
    let text = '';
    of(req('a')).pipe(withRateLimit(scriptedModel('m', [{}]), { rpm: 1, mode: 'reject' })).subscribe((r) => (text = r.text));
    expect(text).toBe('ok');
  });
});

describe('withRateLimit burst', () => {
  it('with burst: 1, no 60 s window ever holds more than rpm calls', () => {
    const m = scriptedModel('m', [{ after: 10, reply: 'ok' }]);
    modelTestScheduler((a, e) => expect(a).toEqual(e)).run(({ expectObservable }) => {
      const limited = withRateLimit(m, { rpm: 60, burst: 1, mode: 'wait', maxWaitMs: 10 * 60_000, maxQueue: 1_000 });
      const requests = Array.from({ length: 150 }, (_, i) => req(`r${i}`));
      expectObservable(from(requests).pipe(limited, count())).toBe(`${149_010}ms (c|)`, { c: 150 });
    });
    const starts = m.calls.map((c) => c.subscribedAt);
    expect(starts.slice(0, 3)).toEqual([0, 1000, 2000]);
    const mostInAnyMinute = Math.max(...starts.map((t) => starts.filter((s) => s >= t && s < t + 60_000).length));
    expect(mostInAnyMinute).toBe(60);
  });

  it('without burst, a full bucket lets rpm through at once', () => {
    const m = scriptedModel('m', [{ reply: 'ok' }]);
    modelTestScheduler((a, e) => expect(a).toEqual(e)).run(({ expectObservable }) => {
      expectObservable(from(Array.from({ length: 5 }, (_, i) => req(`r${i}`))).pipe(withRateLimit(m, { rpm: 3, mode: 'reject' }), count())).toBe('#', undefined, new ModelError('throttled', ''));
    });
    expect(m.calls.map((c) => c.subscribedAt)).toEqual([0, 0, 0]);
  });

  it('refuses burst without rpm', () => {
    expect(() => withRateLimit(scriptedModel('m', [{}]), { tpm: 100, burst: 2, mode: 'wait' })).toThrow('withRateLimit: burst needs rpm');
  });
});
