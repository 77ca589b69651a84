import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY, NEVER, of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import type { Model } from '../../src/core/model.js';
import { MemoryStore } from '../../src/state/memoryStore.js';
import { withCircuitBreaker } from '../../src/strategies/withCircuitBreaker.js';
import { modelErrorOfKind, modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { at, delayedStore, recordedBus, req } from './statefulKit.js';

const open = new ModelError('circuit-open', 'x');
const ok = (text = 'ok') => expect.objectContaining({ text });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));

describe('withCircuitBreaker', () => {
  it('opens after consecutive failures, fails fast, lets one probe through half-open, and closes', () => {
    const { bus, seen } = recordedBus('circuit-state');
    const m = scriptedModel('m', [{ after: 1, error: 'unavailable' }, { after: 1, error: 'unavailable' }, { after: 2, reply: 'ok' }]);
    const errors: unknown[] = [];
    scheduler().run(({ expectObservable }) => {
      const breaker = withCircuitBreaker(m, { failureThreshold: 2, openForMs: 10, events: bus, key: 'm' });
      expectObservable(at(0, breaker, req('a'))).toBe('1ms #', undefined, new ModelError('unavailable', 'x'));
      expectObservable(at(2, breaker, req('b'))).toBe('3ms #', undefined, new ModelError('unavailable', 'x'));
      expectObservable(at(4, breaker, req('c'))).toBe('4ms #', undefined, open);
      at(4, breaker, req('c2')).subscribe({ error: (e) => errors.push(e) });
      expectObservable(at(13, breaker, req('d'))).toBe('15ms (r|)', { r: ok() });
      expectObservable(at(14, breaker, req('e'))).toBe('14ms #', undefined, open);
      expectObservable(at(16, breaker, req('f'))).toBe('18ms (r|)', { r: ok() });
    });
    expect(m.calls.map((c) => [c.request.id, c.subscribedAt, c.endedAt])).toEqual([
      ['a', 0, 1], ['b', 2, 3], ['d', 13, 15], ['f', 16, 18],
    ]);
    expect((errors[0] as ModelError).retryAfterMs).toBe(9);
    expect(seen).toEqual([
      { type: 'circuit-state', time: 3, requestId: 'b', key: 'm', from: 'closed', to: 'open' },
      { type: 'circuit-state', time: 13, requestId: 'd', key: 'm', from: 'open', to: 'half-open' },
      { type: 'circuit-state', time: 15, requestId: 'd', key: 'm', from: 'half-open', to: 'closed' },
    ]);
  });

  it('a failed probe reopens the circuit for another openForMs', () => {
    const m = scriptedModel('m', [{ after: 1, error: 'timeout' }]);
    scheduler().run(({ expectObservable }) => {
      const breaker = withCircuitBreaker(m, { failureThreshold: 1, openForMs: 5 });
      expectObservable(at(0, breaker, req('a'))).toBe('1ms #', undefined, new ModelError('timeout', 'x'));
      expectObservable(at(6, breaker, req('b'))).toBe('7ms #', undefined, new ModelError('timeout', 'x'));
      expectObservable(at(11, breaker, req('c'))).toBe('11ms #', undefined, open);
      expectObservable(at(12, breaker, req('d'))).toBe('13ms #', undefined, new ModelError('timeout', 'x'));
    });
    expect(m.calls.map((c) => c.subscribedAt)).toEqual([0, 6, 12]);
  });

  it('counts slow calls as failures but still delivers them', () => {
    const m = scriptedModel('m', [{ after: 6, reply: 'slow' }]);
    scheduler().run(({ expectObservable }) => {
      const breaker = withCircuitBreaker(m, { failureThreshold: 1, slowCallMs: 5, openForMs: 100 });
      expectObservable(at(0, breaker, req('a'))).toBe('6ms (r|)', { r: ok('slow') });
      expectObservable(at(7, breaker, req('b'))).toBe('7ms #', undefined, open);
    });
  });

  it('opens on a failure rate over the last calls', () => {
    const m = scriptedModel('m', (_r, i) => (i % 2 === 0 ? { after: 1, error: 'model-error' } : { after: 1 }));
    scheduler().run(({ expectObservable }) => {
      const breaker = withCircuitBreaker(m, { failureRate: { rate: 0.5, window: 4, minCalls: 4 }, openForMs: 100 });
      expectObservable(at(0, breaker, req('a'))).toBe('1ms #', undefined, new ModelError('model-error', 'x'));
      expectObservable(at(2, breaker, req('b'))).toBe('3ms (r|)', { r: ok() });
      expectObservable(at(4, breaker, req('c'))).toBe('5ms #', undefined, new ModelError('model-error', 'x'));
      expectObservable(at(6, breaker, req('d'))).toBe('7ms (r|)', { r: ok() });
      expectObservable(at(8, breaker, req('e'))).toBe('8ms #', undefined, open);
    });
  });

  it('does not count validation errors or cancellations; a cancelled probe frees its slot', () => {
    const bad = scriptedModel('bad', [{ error: 'validation' }]);
    scheduler().run(({ expectObservable }) => {
      const breaker = withCircuitBreaker(bad, { failureThreshold: 1, openForMs: 5 });
      expectObservable(at(0, breaker, req('a'))).toBe('#', undefined, new ModelError('validation', 'x'));
      expectObservable(at(1, breaker, req('b'))).toBe('1ms #', undefined, new ModelError('validation', 'x'));
    });
    const m = scriptedModel('m', [{ after: 1, error: 'unavailable' }, { hang: true }, { after: 1 }]);
    scheduler().run(({ expectObservable }) => {
      const breaker = withCircuitBreaker(m, { failureThreshold: 1, openForMs: 5 });
      expectObservable(at(0, breaker, req('a'))).toBe('1ms #', undefined, new ModelError('unavailable', 'x'));
      expectObservable(at(6, breaker, req('probe')), '^ 7ms !').toBe('');
      expectObservable(at(9, breaker, req('next'))).toBe('10ms (r|)', { r: ok() });
    });
    expect(m.calls.map((c) => [c.request.id, c.subscribedAt, c.end])).toEqual([
      ['a', 0, 'error'], ['probe', 6, 'unsubscribed'], ['next', 9, 'reply'],
    ]);
  });

  it('handles a model that throws synchronously, completes empty, or never answers', () => {
    const throwing: Model = () => {
      throw new Error('boom');
    };
    scheduler().run(({ expectObservable }) => {
      const breaker = withCircuitBreaker(throwing, { failureThreshold: 1, openForMs: 5 });
      expectObservable(at(0, breaker, req('a'))).toBe('#', undefined, new ModelError('model-error', 'boom'));
      expectObservable(at(1, breaker, req('b'))).toBe('1ms #', undefined, open);
    });
    scheduler().run(({ expectObservable }) => {
      const empty = withCircuitBreaker(() => EMPTY, { failureThreshold: 1, openForMs: 5 });
      expectObservable(at(0, empty, req('a'))).toBe('|');
      const never = withCircuitBreaker(() => NEVER, { failureThreshold: 1, openForMs: 5 });
      expectObservable(at(0, never, req('a')), '^ 9ms !').toBe('');
    });
  });

  it('shares one circuit between wrappers through a store and key', () => {
    const store = new MemoryStore();
    const failing = scriptedModel('m', [{ error: 'unavailable' }]);
    const a = withCircuitBreaker(failing, { failureThreshold: 1, openForMs: 50, store, key: 'shared' });
    const b = withCircuitBreaker(scriptedModel('n', [{}]), { failureThreshold: 1, openForMs: 50, store, key: 'shared' });
    let error: unknown;
    of(req('a')).pipe(a).subscribe({ error: () => undefined });
    of(req('b')).pipe(b).subscribe({ error: (e) => (error = e) });
    expect(error).toEqual(modelErrorOfKind('circuit-open'));
  });

  it('works with a store that answers asynchronously', () => {
    const m = scriptedModel('m', [{ after: 1, error: 'unavailable' }]);
    scheduler().run(({ expectObservable }) => {
      const breaker = withCircuitBreaker(m, { failureThreshold: 1, openForMs: 100, store: delayedStore(new MemoryStore(), 1) });
      expectObservable(at(0, breaker, req('a'))).toBe('3ms #', undefined, new ModelError('unavailable', 'x'));
      expectObservable(at(5, breaker, req('b'))).toBe('6ms #', undefined, open);
    });
    expect(m.calls.map((c) => c.subscribedAt)).toEqual([1]);
  });

  it('refuses bad options, naming them', () => {
    const m = scriptedModel('m', [{}]);
    expect(() => withCircuitBreaker(m, { openForMs: 5 })).toThrow(/failureThreshold or failureRate/);
    expect(() => withCircuitBreaker(m, { failureThreshold: 0, openForMs: 5 })).toThrow(/failureThreshold/);
    expect(() => withCircuitBreaker(m, { failureThreshold: 1, openForMs: -1 })).toThrow(/openForMs/);
    expect(() => withCircuitBreaker(m, { failureRate: { rate: 2, window: 3, minCalls: 1 }, openForMs: 1 })).toThrow(/failureRate.rate/);
    expect(() => withCircuitBreaker(m, { failureThreshold: 1, openForMs: 1, halfOpenProbes: 0 })).toThrow(/halfOpenProbes/);
  });

  it('gives every request exactly one outcome, whatever the script (property)', () => {
    const kinds = ['unavailable', 'timeout', 'validation', undefined] as const;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 30 }), (script) => {
        const outcomes = new Map<string, number>();
        const m = scriptedModel('m', (_r, i) => {
          const [error, after] = script[i % script.length]!;
          return error ? { error, after } : { after };
        });
        scheduler().run(() => {
          const breaker = withCircuitBreaker(m, { failureThreshold: 2, openForMs: 7, halfOpenProbes: 2 });
          script.forEach(([, , t], i) =>
            at(t, breaker, req(`r${i}`)).subscribe({
              next: () => outcomes.set(`r${i}`, (outcomes.get(`r${i}`) ?? 0) + 1),
              error: () => outcomes.set(`r${i}`, (outcomes.get(`r${i}`) ?? 0) + 1),
            }),
          );
        });
        return outcomes.size === script.length && [...outcomes.values()].every((n) => n === 1);
      }),
      { numRuns: 60 },
    );
  });
});
