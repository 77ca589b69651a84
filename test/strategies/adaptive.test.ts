import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/core/errors.js';
import { MemoryStore } from '../../src/state/memoryStore.js';
import { adaptive } from '../../src/strategies/adaptive.js';
import type { AdaptivePolicy, ScoreTable } from '../../src/strategies/adaptiveScores.js';
import { seededRandom } from '../../src/strategies/seededRandom.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { originalGreedyCumulative, runScenario, shareOf } from './adaptiveScenario.js';
import { at, recordedBus, req } from './statefulKit.js';

const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const givenOrder: AdaptivePolicy = (arms) => arms.map((a) => a.id);

describe('adaptive', () => {
  it('folds each outcome into exact EMAs per (model, task) and falls back to the next-best on failure', () => {
    const a = scriptedModel('a', [{ after: 100, costUsd: 0.002 }, { after: 300, error: 'unavailable' }]);
    const b = scriptedModel('b', [{ after: 50 }]);
    const tables: ScoreTable[] = [];
    const { bus, seen } = recordedBus('fallback');
    scheduler().run(({ expectObservable }) => {
      const chooser = adaptive({ a, b }, { alpha: 0.5, policy: givenOrder, events: bus });
      chooser.scores$.subscribe((t) => tables.push(t));
      expectObservable(at(0, chooser, req('r1'))).toBe('100ms (r|)', { r: expect.objectContaining({ modelId: 'a' }) });
      expectObservable(at(1_000, chooser, req('r2'))).toBe('1350ms (r|)', {
        r: expect.objectContaining({
          modelId: 'b',
          latencyMs: 350,
          attempts: [
            { modelId: 'a', outcome: 'failure', errorKind: 'unavailable', latencyMs: 300 },
            { modelId: 'b', outcome: 'success', latencyMs: 50 },
          ],
        }),
      });
    });
    expect(tables).toEqual([
      {},
      { default: { a: { count: 1, success: 1, latencyMs: 100, costUsd: 0.002 } } },
      { default: { a: { count: 2, success: 0.5, latencyMs: 200, costUsd: 0.001 } } },
      {
        default: {
          a: { count: 2, success: 0.5, latencyMs: 200, costUsd: 0.001 },
          b: { count: 1, success: 1, latencyMs: 50, costUsd: 0 },
        },
      },
    ]);
    expect(seen.map((e) => e.type === 'fallback' && [e.time, e.from, e.to, e.reason])).toEqual([[1_300, 'a', 'b', 'unavailable']]);
  });

  it('ranks by the objective: Thompson and UCB1 both leave a clearly worse model once learnt', () => {
    for (const policy of ['thompson', 'ucb1'] as const) {
      const good = scriptedModel('good', [{ after: 10 }]);
      const bad = scriptedModel('bad', [{ after: 10, error: 'model-error' }]);
      scheduler().run(() => {
        const chooser = adaptive({ bad, good }, { policy, random: seededRandom(1) });
        for (let i = 0; i < 50; i++) at(i * 100, chooser, req(`r${i}`)).subscribe({ error: () => undefined });
      });
      // bad is tried first once (never seen), then almost never again; every request is answered by good
      expect(bad.calls.length).toBeLessThanOrEqual(3);
      expect(good.calls.length).toBe(50);
    }
  });

  it('never retries a model that already failed for the request, and ends with all-failed', () => {
    const a = scriptedModel('a', [{ after: 1, error: 'timeout' }]);
    const b = scriptedModel('b', [{ after: 2, error: 'unavailable' }]);
    let error: ModelError | undefined;
    scheduler().run(({ expectObservable }) => {
      const chooser = adaptive({ a, b }, { random: seededRandom(3) });
      expectObservable(at(0, chooser, req('r'))).toBe('3ms #', undefined, new ModelError('all-failed', 'x'));
      at(10, chooser, req('s')).subscribe({ error: (e) => (error = e) });
    });
    expect(a.calls.length + b.calls.length).toBe(4);
    expect(error?.attempts?.map((t) => t.modelId).sort()).toEqual(['a', 'b']);
  });

  it('keeps scores per task, learns nothing from errors that are not the model’s fault, and shares scores through a store', () => {
    const store = new MemoryStore();
    const m = scriptedModel('m', (r) => (r.task === 'bad-input' ? { error: 'validation' } : { after: 5 }));
    const tables: ScoreTable[] = [];
    scheduler().run(({ expectObservable }) => {
      const chooser = adaptive({ m }, { classify: (r) => r.task ?? 'chat', store, key: 'sel' });
      chooser.scores$.subscribe((t) => tables.push(t));
      expectObservable(at(0, chooser, req('a', 'x', { task: 'code' }))).toBe('5ms (r|)', { r: expect.objectContaining({ modelId: 'm' }) });
      expectObservable(at(0, chooser, req('b'))).toBe('5ms (r|)', { r: expect.objectContaining({ modelId: 'm' }) });
      expectObservable(at(10, chooser, req('c', 'x', { task: 'bad-input' }))).toBe('10ms #', undefined, new ModelError('validation', 'x'));
    });
    expect(tables[tables.length - 1]).toEqual({
      code: { m: { count: 1, success: 1, latencyMs: 5, costUsd: 0 } },
      chat: { m: { count: 1, success: 1, latencyMs: 5, costUsd: 0 } },
    });
    const again = adaptive({ m }, { store, key: 'sel' });
    let loaded: ScoreTable = {};
    again.scores$.subscribe((t) => (loaded = t));
    expect(Object.keys(loaded).sort()).toEqual(['chat', 'code']);
  });

  it('cancels the running candidate on unsubscription without learning from it', () => {
    const m = scriptedModel('m', [{ hang: true }]);
    const tables: ScoreTable[] = [];
    scheduler().run(({ expectObservable }) => {
      const chooser = adaptive({ m });
      chooser.scores$.subscribe((t) => tables.push(t));
      expectObservable(at(0, chooser, req('r')), '^ 4ms !').toBe('');
    });
    expect(m.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 5 });
    expect(tables).toEqual([{}]);
  });

  it('refuses bad options, naming them', () => {
    const m = scriptedModel('m', [{}]);
    expect(() => adaptive({})).toThrow(/models/);
    expect(() => adaptive({ m }, { alpha: 0 })).toThrow(/alpha/);
    expect(() => adaptive({ m }, { policy: 'greedy' as 'ucb1' })).toThrow(/policy/);
    expect(() => adaptive({ m }, { objective: { latencyWeight: -1 } })).toThrow(/objective.latencyWeight/);
    expect(() => adaptive({ m }, { classify: 'task' as never })).toThrow(/classify/);
    expect(() => adaptive([{ id: 'm', model: m }, { id: 'm', model: m }])).toThrow(/twice/);
  });

  it('re-converges within ~200 requests when the best model degrades, with under half the original rule’s regret (10,000 requests, virtual time)', () => {
    const ours = runScenario('thompson', { seed: 1 });
    const original = runScenario(originalGreedyCumulative(), { seed: 1 });
    // after the drop at 5,000, b (0.9) is best: within 200 requests it is picked first most of the time
    expect(shareOf(ours.firstPicks, 'b', 5_200, 5_400)).toBeGreaterThan(0.7);
    expect(shareOf(ours.firstPicks, 'b', 5_200, 10_000)).toBeGreaterThan(0.7);
    expect(shareOf(ours.firstPicks, 'a', 1_000, 5_000)).toBeGreaterThan(0.9);
    expect(ours.regret).toBeLessThanOrEqual(0.5 * original.regret);
  });
});

describe('adaptive with a failing store', () => {
  it('learns alone when shared scores cannot be loaded, with no unhandled error', async () => {
    const { throwError, lastValueFrom, of } = await import('rxjs');
    const store = new MemoryStore();
    store.scoreGetAll = () => throwError(() => new ModelError('unavailable', 'redis down', { source: 'redis' })) as never;
    const chooser = adaptive({ a: scriptedModel('a', [{ reply: 'A' }]) }, { store });
    const response = await lastValueFrom(of(req('r1', 'hi')).pipe(chooser));
    expect(response.text).toBe('A');
  });
});
