import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/core/errors.js';
import { costTiers } from '../../src/strategies/costTiers.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { at, recordedBus, req } from './statefulKit.js';

const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));

describe('costTiers', () => {
  it('degrades tier by tier only when a whole tier failed, keeping every attempt', () => {
    const { bus, seen } = recordedBus('fallback');
    const p = scriptedModel('p', [{ after: 2, error: 'unavailable' }]);
    const s1 = scriptedModel('s1', [{ after: 1, error: 'throttled' }]);
    const s2 = scriptedModel('s2', [{ after: 2, reply: 'fine' }]);
    const e = scriptedModel('e', [{}]);
    scheduler().run(({ expectObservable }) => {
      const tiers = costTiers([{ name: 'premium', models: p }, { name: 'standard', models: [s1, s2] }, { name: 'economy', models: e }], { events: bus });
      expectObservable(at(0, tiers, req('a'))).toBe('5ms (r|)', {
        r: expect.objectContaining({
          text: 'fine',
          modelId: 's2',
          latencyMs: 5,
          details: { tier: 'standard' },
          attempts: [
            { modelId: 'p', outcome: 'failure', errorKind: 'unavailable', latencyMs: 2 },
            { modelId: 's1', outcome: 'failure', errorKind: 'throttled', latencyMs: 1 },
            { modelId: 's2', outcome: 'success', latencyMs: 2 },
          ],
        }),
      });
    });
    expect(e.calls).toEqual([]);
    expect(seen.map((x) => x.type === 'fallback' && [x.time, x.from, x.to])).toEqual([[2, 'p', 's1'], [3, 's1', 's2']]);
  });

  it('starts at the requested quality (metadata.quality, else start), never going up', () => {
    const p = scriptedModel('p', [{}]);
    const s = scriptedModel('s', [{ reply: 'std' }]);
    const tiers = costTiers([{ name: 'premium', models: p }, { name: 'standard', models: s, pricePer1k: 2 }], { start: (r) => (r.task === 'hard' ? 'premium' : 'standard') });
    scheduler().run(({ expectObservable }) => {
      expectObservable(at(0, tiers, req('a'))).toBe('(r|)', { r: expect.objectContaining({ modelId: 's', costUsd: ((2 + 1) / 1000) * 2 }) });
      expectObservable(at(0, tiers, req('b', 'hello', { task: 'hard' }))).toBe('(r|)', { r: expect.objectContaining({ modelId: 'p' }) });
      expectObservable(at(0, tiers, req('c', 'hello', { task: 'hard', metadata: { quality: 'standard' } }))).toBe('(r|)', { r: expect.objectContaining({ modelId: 's' }) });
      expectObservable(at(0, tiers, req('d', 'hello', { metadata: { quality: 'gold' } }))).toBe('#', undefined, new ModelError('validation', 'x'));
    });
  });

  it('fails with all-failed carrying every attempt; stops at an error that allows no fallback', () => {
    const a = scriptedModel('a', [{ after: 1, error: 'timeout' }]);
    const b = scriptedModel('b', [{ after: 1, error: 'unavailable' }]);
    const v = scriptedModel('v', [{ error: 'validation' }]);
    let failure: ModelError | undefined;
    scheduler().run(({ expectObservable }) => {
      const tiers = costTiers([{ name: 'x', models: a }, { name: 'y', models: b }]);
      expectObservable(at(0, tiers, req('r'))).toBe('2ms #', undefined, new ModelError('all-failed', 'x'));
      at(0, tiers, req('r2')).subscribe({ error: (e) => (failure = e) });
      expectObservable(at(0, costTiers([{ name: 'x', models: v }, { name: 'y', models: b }]), req('s'))).toBe('#', undefined, new ModelError('validation', 'x'));
    });
    expect(failure?.attempts?.map((t) => [t.modelId, t.errorKind])).toEqual([['a', 'timeout'], ['b', 'unavailable']]);
    expect(b.calls.map((c) => c.request.id).sort()).toEqual(['r', 'r2']);
  });

  it('cancels the running model on unsubscription and tries nothing after it', () => {
    const a = scriptedModel('a', [{ hang: true }]);
    const b = scriptedModel('b', [{}]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(at(0, costTiers([{ name: 'x', models: a }, { name: 'y', models: b }]), req('r')), '^ 3ms !').toBe('');
    });
    expect(a.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 4 });
    expect(b.calls).toEqual([]);
  });

  it('refuses bad tiers, naming the option', () => {
    const m = scriptedModel('m', [{}]);
    expect(() => costTiers([])).toThrow(/tiers/);
    expect(() => costTiers([{ name: 'a', models: [] }])).toThrow(/tiers\[0\]\.models/);
    expect(() => costTiers([{ name: 'a', models: m }, { name: 'a', models: m }])).toThrow(/used twice/);
    expect(() => costTiers([{ name: 'a', models: m }], { start: 'b' })).toThrow(/start/);
    expect(() => costTiers([{ name: 'a', models: m, pricePer1k: -1 }])).toThrow(/pricePer1k/);
  });
});
