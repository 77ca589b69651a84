import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { fastest, latencyOrder, observeLatency } from '../../src/strategies/fastest.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { at, req } from './statefulKit.js';

const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const modelOf = (id: string) => expect.objectContaining({ modelId: id });

describe('fastest', () => {
  it('learns latencies from attempt events: tries unknown models first, then the fastest within the limit', () => {
    const bus = createEventBus();
    const a = scriptedModel('a', [{ after: 3 }], { events: bus });
    const b = scriptedModel('b', [{ after: 1 }, { after: 1 }, { after: 1, error: 'unavailable' }], { events: bus });
    const c = scriptedModel('c', [{ after: 9 }], { events: bus });
    scheduler().run(({ expectObservable }) => {
      const quick = fastest({ a, b, c }, { maxLatencyMs: 5, events$: bus.events$ });
      expectObservable(at(0, quick, req('r1'))).toBe('3ms (r|)', { r: modelOf('a') }); // all unknown: a first
      expectObservable(at(10, quick, req('r2'))).toBe('11ms (r|)', { r: modelOf('b') }); // b, c unknown: b
      expectObservable(at(20, quick, req('r3'))).toBe('29ms (r|)', { r: modelOf('c') }); // c unknown
      expectObservable(at(30, quick, req('r4'))).toBe('31ms (r|)', { r: modelOf('b') }); // b 1 < a 3; c 9 over
      expectObservable(at(40, quick, req('r5'))).toBe('44ms (r|)', {
        r: expect.objectContaining({
          modelId: 'a',
          attempts: [
            { modelId: 'b', outcome: 'failure', errorKind: 'unavailable', latencyMs: 1 },
            { modelId: 'a', outcome: 'success', latencyMs: 3 },
          ],
        }),
      });
    });
    expect(c.calls.length).toBe(1);
  });

  it('tries only the fastest when none is within the limit', () => {
    const bus = createEventBus();
    const a = scriptedModel('a', [{ after: 3 }], { events: bus });
    const b = scriptedModel('b', [{ after: 2 }, { after: 2, error: 'timeout' }], { events: bus });
    scheduler().run(({ expectObservable }) => {
      const quick = fastest([{ id: 'a', model: a }, { id: 'b', model: b }], { maxLatencyMs: 1, events$: bus.events$ });
      at(0, quick, req('r1')).subscribe();
      at(10, quick, req('r2')).subscribe();
      expectObservable(at(20, quick, req('r3'))).toBe('22ms #', undefined, new ModelError('all-failed', 'x'));
    });
    expect(a.calls.length).toBe(1);
  });

  it('folds latencies into an EMA and orders by it', () => {
    const t0 = { a: { failures: 0 }, b: { failures: 0 }, c: { failures: 0 } };
    const ok = (modelId: string, latencyMs: number): RuntimeEvent => ({
      type: 'attempt-succeeded', time: 0, requestId: 'r', modelId, latencyMs, usage: { inputTokens: 1, outputTokens: 1 },
    });
    const failed: RuntimeEvent = { type: 'attempt-failed', time: 0, requestId: 'r', modelId: 'c', latencyMs: 5, errorKind: 'timeout', message: 'x' };
    const t1 = [ok('a', 100), ok('a', 300), ok('b', 150), ok('zzz', 1), failed].reduce((t, e) => observeLatency(t, e, 0.5), t0 as Record<string, { emaMs?: number; failures: number }>);
    expect(t1).toEqual({ a: { emaMs: 200, failures: 0 }, b: { emaMs: 150, failures: 0 }, c: { failures: 1 } });
    const candidates = ['a', 'b', 'c'].map((id) => ({ id, model: scriptedModel(id, [{}]) }));
    expect(latencyOrder(candidates, t1, 180).map((c) => c.id)).toEqual(['b', 'c']);
    expect(latencyOrder(candidates, t1, 1_000).map((c) => c.id)).toEqual(['b', 'a', 'c']);
  });

  it('listens to the events only while requests run, and cancels the running candidate on unsubscription', () => {
    const events$ = new Subject<RuntimeEvent>();
    const a = scriptedModel('a', [{ hang: true }]);
    scheduler().run(({ expectObservable }) => {
      const quick = fastest({ a }, { maxLatencyMs: 5, events$ });
      expectObservable(at(0, quick, req('r')), '^ 3ms !').toBe('');
    });
    expect(events$.observed).toBe(false);
    expect(a.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 4 });
  });

  it('refuses bad options, naming them', () => {
    const bus = createEventBus();
    const a = scriptedModel('a', [{}]);
    expect(() => fastest({}, { maxLatencyMs: 1, events$: bus.events$ })).toThrow(/models/);
    expect(() => fastest({ a }, { maxLatencyMs: -1, events$: bus.events$ })).toThrow(/maxLatencyMs/);
    expect(() => fastest({ a }, { maxLatencyMs: 1, events$: bus.events$, alpha: 2 })).toThrow(/alpha/);
    expect(() => fastest({ a }, { maxLatencyMs: 1, events$: undefined as never })).toThrow(/events\$/);
  });
});
