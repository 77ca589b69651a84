import { describe, expect, it } from 'vitest';
import { EMPTY } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { MemoryStore } from '../../src/state/memoryStore.js';
import { withBudget } from '../../src/strategies/withBudget.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { at, delayedStore, recordedBus, req } from './statefulKit.js';

const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const exceeded = new ModelError('budget-exceeded', 'x');
const ok = expect.objectContaining({ text: 'ok' });

describe('withBudget', () => {
  it('fails with budget-exceeded, before calling the model, while the rolling window is spent', () => {
    const { bus, seen } = recordedBus('budget-exceeded');
    const m = scriptedModel('m', [{ usage: { inputTokens: 6, outputTokens: 6 }, costUsd: 0.5 }]);
    scheduler().run(({ expectObservable }) => {
      const capped = withBudget(m, { tokens: 10, perMs: 100, events: bus, key: 'b' });
      expectObservable(at(0, capped, req('a'))).toBe('(r|)', { r: ok });
      expectObservable(at(50, capped, req('b'))).toBe('50ms #', undefined, exceeded);
      expectObservable(at(100, capped, req('c'))).toBe('100ms (r|)', { r: ok });
    });
    expect(m.calls.map((c) => c.request.id)).toEqual(['a', 'c']);
    expect(seen).toEqual([{ type: 'budget-exceeded', time: 50, requestId: 'b', key: 'b', spentUsd: 0.5, spentTokens: 12 }]);
  });

  it('caps dollars too, and counts spending when the answer arrives', () => {
    const m = scriptedModel('m', [{ after: 5, costUsd: 0.6 }]);
    scheduler().run(({ expectObservable }) => {
      const capped = withBudget(m, { usd: 1, perMs: 1_000 });
      expectObservable(at(0, capped, req('a'))).toBe('5ms (r|)', { r: ok });
      expectObservable(at(1, capped, req('b'))).toBe('6ms (r|)', { r: ok }); // a not yet billed
      expectObservable(at(7, capped, req('c'))).toBe('7ms #', undefined, exceeded);
    });
  });

  it('shares a budget across wrappers through a store', () => {
    const store = new MemoryStore();
    const m = scriptedModel('m', [{ costUsd: 2 }]);
    scheduler().run(({ expectObservable }) => {
      const one = withBudget(m, { usd: 1, perMs: 1_000, store, key: 'team' });
      const two = withBudget(m, { usd: 1, perMs: 1_000, store, key: 'team' });
      expectObservable(at(0, one, req('a'))).toBe('(r|)', { r: ok });
      expectObservable(at(1, two, req('b'))).toBe('1ms #', undefined, exceeded);
    });
  });

  it('works with a store that answers asynchronously', () => {
    const m = scriptedModel('m', [{ costUsd: 2 }]);
    scheduler().run(({ expectObservable }) => {
      const capped = withBudget(m, { usd: 1, perMs: 1_000, store: delayedStore(new MemoryStore(), 1) });
      expectObservable(at(0, capped, req('a'))).toBe('1ms (r|)', { r: ok });
      expectObservable(at(5, capped, req('b'))).toBe('6ms #', undefined, exceeded);
    });
    expect(m.calls.map((c) => c.subscribedAt)).toEqual([1]);
  });

  it('passes errors, empty and never through', () => {
    scheduler().run(({ expectObservable }) => {
      expectObservable(at(0, withBudget(scriptedModel('m', [{ error: 'timeout' }]), { usd: 1, perMs: 10 }), req('a'))).toBe('#', undefined, new ModelError('timeout', 'x'));
      expectObservable(at(0, withBudget(() => EMPTY, { usd: 1, perMs: 10 }), req('a'))).toBe('|');
      expectObservable(at(0, withBudget(scriptedModel('n', [{ hang: true }]), { usd: 1, perMs: 10 }), req('a')), '^ 3ms !').toBe('');
    });
  });

  it('refuses bad options, naming them', () => {
    const m = scriptedModel('m', [{}]);
    expect(() => withBudget(m, { perMs: 10 })).toThrow(/usd or tokens/);
    expect(() => withBudget(m, { usd: -1, perMs: 10 })).toThrow(/usd/);
    expect(() => withBudget(m, { usd: 1, perMs: 0 })).toThrow(/perMs/);
  });
});
