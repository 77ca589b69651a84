import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError } from '../../src/core/errors.js';
import { withCache } from '../../src/strategies/withCache.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { MemoryStore } from '../../src/state/memoryStore.js';
import { at, delayedStore, recordedBus, req } from './statefulKit.js';

const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));

describe('withCache', () => {
  it('shares an in-flight call, serves hits within the TTL with the caller’s id, and calls again after it', () => {
    const { bus, seen } = recordedBus('cache-hit');
    const m = scriptedModel('m', [{ after: 3, reply: 'A' }]);
    scheduler().run(({ expectObservable }) => {
      const cached = withCache(m, { ttlMs: 10, events: bus, namespace: 'c' });
      expectObservable(at(0, cached, req('a1'))).toBe('3ms (r|)', { r: expect.objectContaining({ requestId: 'a1', text: 'A', latencyMs: 3 }) });
      expectObservable(at(2, cached, req('a2'))).toBe('3ms (r|)', {
        r: expect.objectContaining({ requestId: 'a2', text: 'A', latencyMs: 1, details: { cache: 'shared' } }),
      });
      expectObservable(at(5, cached, req('a3'))).toBe('5ms (r|)', {
        r: expect.objectContaining({ requestId: 'a3', text: 'A', latencyMs: 0, details: { cache: 'hit' } }),
      });
      expectObservable(at(14, cached, req('a4'))).toBe('17ms (r|)', { r: expect.objectContaining({ requestId: 'a4' }) });
    });
    expect(m.calls.map((c) => [c.request.id, c.subscribedAt])).toEqual([['a1', 0], ['a4', 14]]);
    expect(seen.map((e) => [e.requestId, e.time, e.type === 'cache-hit' && e.shared])).toEqual([['a2', 3, true], ['a3', 5, false]]);
  });

  it('keys on messages, system and inferenceConfig, not on id or metadata', () => {
    const m = scriptedModel('m', [{}]);
    scheduler().run(() => {
      const cached = withCache(m, { ttlMs: 100 });
      at(0, cached, req('a', 'one')).subscribe();
      at(1, cached, req('b', 'one', { metadata: { user: 'x' }, task: 't' })).subscribe();
      at(2, cached, req('c', 'two')).subscribe();
      at(3, cached, req('d', 'one', { system: 'be brief' })).subscribe();
      at(4, cached, req('e', 'one', { inferenceConfig: { temperature: 0.5 } })).subscribe();
    });
    expect(m.calls.map((c) => c.request.id)).toEqual(['a', 'c', 'd', 'e']);
  });

  it('never caches errors: every sharer gets the error and the next request calls again', () => {
    const m = scriptedModel('m', [{ after: 2, error: 'unavailable' }, { after: 1 }]);
    scheduler().run(({ expectObservable }) => {
      const cached = withCache(m, { ttlMs: 100 });
      expectObservable(at(0, cached, req('a'))).toBe('2ms #', undefined, new ModelError('unavailable', 'x'));
      expectObservable(at(1, cached, req('b'))).toBe('2ms #', undefined, new ModelError('unavailable', 'x'));
      expectObservable(at(3, cached, req('c'))).toBe('4ms (r|)', { r: expect.objectContaining({ requestId: 'c' }) });
    });
    expect(m.calls.length).toBe(2);
  });

  it('cancels a shared call only when every sharer unsubscribed', () => {
    const m = scriptedModel('m', [{ after: 10 }, { hang: true }]);
    scheduler().run(({ expectObservable }) => {
      const cached = withCache(m, { ttlMs: 100 });
      expectObservable(at(0, cached, req('a')), '^ 1ms !').toBe('');
      expectObservable(at(1, cached, req('b'))).toBe('10ms (r|)', { r: expect.objectContaining({ requestId: 'b' }) });
    });
    scheduler().run(({ expectObservable }) => {
      const cached = withCache(m, { ttlMs: 100 });
      expectObservable(at(0, cached, req('c')), '^ 2ms !').toBe('');
      expectObservable(at(1, cached, req('d')), '^ 3ms !').toBe('');
      expectObservable(at(5, cached, req('e')), '^ 5ms !').toBe('');
    });
    expect(m.calls.map((c) => [c.request.id, c.subscribedAt, c.endedAt, c.end])).toEqual([
      ['a', 0, 10, 'reply'],
      ['c', 0, 4, 'unsubscribed'],
      ['e', 5, 6, 'unsubscribed'],
    ]);
  });

  it('is a bounded LRU and takes a custom key', () => {
    const m = scriptedModel('m', [{}]);
    const cached = withCache(m, { ttlMs: 1_000, maxEntries: 1 });
    scheduler().run(() => {
      ['one', 'two', 'one'].forEach((p, i) => at(i, cached, req(`r${i}`, p)).subscribe());
    });
    expect(m.calls.length).toBe(3);
    const byTask = scriptedModel('t', [{}]);
    scheduler().run(() => {
      const cachedByTask = withCache(byTask, { ttlMs: 1_000, key: (r) => r.task ?? '' });
      at(0, cachedByTask, req('a', 'one', { task: 'x' })).subscribe();
      at(1, cachedByTask, req('b', 'two', { task: 'x' })).subscribe();
    });
    expect(byTask.calls.length).toBe(1);
  });

  it('works with a store that answers asynchronously', () => {
    const m = scriptedModel('m', [{ after: 2 }]);
    scheduler().run(({ expectObservable }) => {
      const cached = withCache(m, { ttlMs: 100, store: delayedStore(new MemoryStore(), 1) });
      expectObservable(at(0, cached, req('a'))).toBe('4ms (r|)', { r: expect.objectContaining({ requestId: 'a' }) });
      expectObservable(at(10, cached, req('b'))).toBe('11ms (r|)', { r: expect.objectContaining({ requestId: 'b', details: { cache: 'hit' } }) });
    });
    expect(m.calls.map((c) => c.subscribedAt)).toEqual([1]);
  });

  it('refuses bad options, naming them', () => {
    const m = scriptedModel('m', [{}]);
    expect(() => withCache(m, { ttlMs: -1 })).toThrow(/ttlMs/);
    expect(() => withCache(m, { ttlMs: 1, maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => withCache(m, { ttlMs: 1, key: 'x' as unknown as () => string })).toThrow(/key/);
  });

  it('gives every request exactly one outcome (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('p', 'q', 'r'), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 30 }), (arrivals) => {
        const counts = new Map<number, number>();
        const m = scriptedModel('m', (r, i) => (i % 3 === 2 ? { after: 2, error: 'timeout' } : { after: r.messages.length + 3 }));
        scheduler().run(({ expectObservable }) => {
          const cached = withCache(m, { ttlMs: 7 });
          arrivals.forEach(([t, prompt, stopAfter], i) => {
            const count = () => counts.set(i, (counts.get(i) ?? 0) + 1);
            const response$ = at(t, cached, req(`r${i}`, prompt));
            if (stopAfter === 0) expectObservable(response$, `^ ${t}ms !`);
            else response$.subscribe({ next: count, error: count });
          });
        });
        const expected = arrivals.filter(([, , s]) => s !== 0).length;
        return counts.size === expected && [...counts.values()].every((n) => n === 1);
      }),
      { numRuns: 60 },
    );
  });
});

describe('withCache with a failing store', () => {
  it('still answers when the store cannot keep the answer (e.g. Redis down, fail-closed)', async () => {
    const { throwError, lastValueFrom, of } = await import('rxjs');
    const store = new MemoryStore();
    store.cacheSet = () => throwError(() => new ModelError('unavailable', 'redis down', { source: 'redis' }));
    const m = scriptedModel('m', [{ reply: 'fresh' }]);
    const response = await lastValueFrom(of(req('r1', 'same prompt')).pipe(withCache(m, { ttlMs: 1000, maxEntries: 10, store })));
    expect(response.text).toBe('fresh');
  });
});
