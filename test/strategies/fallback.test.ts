import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY, mergeMap, of, type Observable } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { invoke, type Model } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import type { InferenceResponse } from '../../src/core/response.js';
import { fallback } from '../../src/strategies/fallback.js';
import { modelErrorOfKind, modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { allEnded, exactlyOne, runRequests, scriptArb } from './scriptArbitrary.js';

const req = toRequest({ id: 'r1', prompt: 'hello there' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const fromObservable = (answer: Observable<InferenceResponse>): Model => (source) => source.pipe(mergeMap(() => answer));
const reply = (modelId: string, text = modelId): InferenceResponse => ({
  requestId: 'r1', modelId, text, message: { role: 'assistant', content: [{ text }] }, stopReason: 'end_turn',
  usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 0, attempts: [{ modelId, outcome: 'success', latencyMs: 0 }],
});

describe('fallback', () => {
  it('moves on after each fallback-able failure at once and answers with the whole trail', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const a = scriptedModel('a', [{ after: 2, error: 'throttled' }]);
    const b = scriptedModel('b', [{ after: 3, error: 'timeout' }]);
    const c = scriptedModel('c', [{ after: 1, reply: 'from c' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(fallback([a, b, c], { events: bus }), req)).toBe('------(r|)', {
        r: expect.objectContaining({
          modelId: 'c', text: 'from c', latencyMs: 6,
          attempts: [
            { modelId: 'a', outcome: 'failure', errorKind: 'throttled', latencyMs: 2 },
            { modelId: 'b', outcome: 'failure', errorKind: 'timeout', latencyMs: 3 },
            { modelId: 'c', outcome: 'success', latencyMs: 1 },
          ],
        }),
      });
    });
    expect([a, b, c].map((m) => m.calls.map((x) => [x.subscribedAt, x.endedAt, x.end]))).toEqual([[[0, 2, 'error']], [[2, 5, 'error']], [[5, 6, 'reply']]]);
    expect(seen).toEqual([
      { type: 'fallback', time: 2, requestId: 'r1', from: 'a', to: 'b', reason: 'throttled' },
      { type: 'fallback', time: 5, requestId: 'r1', from: 'b', to: 'c', reason: 'timeout' },
    ]);
  });

  it('subscribes to the next model in the frame the previous one failed', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold<InferenceResponse>('--#', undefined, new ModelError('unavailable', 'down', { modelId: 'a' }));
      const b = cold('---(r|)', { r: reply('b') });
      expectObservable(invoke(fallback(fromObservable(a), fromObservable(b)), req)).toBe('-----(r|)', {
        r: expect.objectContaining({ modelId: 'b', attempts: [expect.objectContaining({ modelId: 'a', outcome: 'failure' }), expect.objectContaining({ modelId: 'b' })] }),
      });
      expectSubscriptions(a.subscriptions).toBe('^-!');
      expectSubscriptions(b.subscriptions).toBe('--^--!');
    });
  });

  it('rethrows a validation error as is, without trying the next model', () => {
    const a = scriptedModel('a', [{ error: 'validation' }]);
    const b = scriptedModel('b', [{ reply: 'never asked' }]);
    let error: unknown;
    invoke(fallback(a, b), req).subscribe({ error: (e) => (error = e) });
    expect(error).toEqual(modelErrorOfKind('validation'));
    expect((error as ModelError).attempts).toBeUndefined();
    expect(b.calls).toHaveLength(0);
  });

  it('fails with all-failed carrying every attempt, retriable when any error was', () => {
    const a = scriptedModel('a', [{ after: 1, error: 'access-denied' }]);
    const b = scriptedModel('b', [{ after: 1, error: 'throttled' }]);
    const c = scriptedModel('c', [{ after: 1, error: 'not-found' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(fallback(a, b), req)).toBe('--#', undefined, new ModelError('all-failed', ''));
    });
    let error: ModelError | undefined;
    scheduler().run(() => invoke(fallback(a, b), req).subscribe({ error: (e: ModelError) => (error = e) }));
    expect(error).toMatchObject({ kind: 'all-failed', retriable: true, fallback: true, requestId: 'r1' });
    expect(error!.attempts).toEqual([
      { modelId: 'a', outcome: 'failure', errorKind: 'access-denied', latencyMs: 1 },
      { modelId: 'b', outcome: 'failure', errorKind: 'throttled', latencyMs: 1 },
    ]);
    scheduler().run(() => invoke(fallback(a, c), req).subscribe({ error: (e: ModelError) => (error = e) }));
    expect(error).toMatchObject({ kind: 'all-failed', retriable: false });
  });

  it('follows `on` instead of the error flag when given', () => {
    const a = scriptedModel('a', [{ after: 1, error: 'timeout' }]);
    const b = scriptedModel('b', [{ reply: 'b' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(fallback([a, b], { on: (e) => e.kind === 'throttled' }), req)).toBe('-#', undefined, new ModelError('timeout', ''));
    });
    expect(b.calls).toHaveLength(0);
  });

  it('answers a synchronous failure with the next model synchronously', () => {
    const a = scriptedModel('a', [{ error: 'model-error' }]);
    const b = scriptedModel('b', [{ reply: 'b' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(fallback(a, b), req)).toBe('(r|)', { r: expect.objectContaining({ modelId: 'b', latencyMs: 0 }) });
    });
  });

  it('emits nothing for no requests and keeps waiting on a model that never answers', () => {
    const a = scriptedModel('a', [{ hang: true }]);
    const b = scriptedModel('b', [{ reply: 'b' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(EMPTY.pipe(fallback(a, b))).toBe('|');
      expectObservable(invoke(fallback(a, b), req), '^----!').toBe('-');
    });
    expect(a.calls[0]).toMatchObject({ subscribedAt: 0, endedAt: 5, end: 'unsubscribed' });
    expect(b.calls).toHaveLength(0);
  });

  it('unsubscribes the model in flight when the caller unsubscribes', () => {
    const a = scriptedModel('a', [{ after: 2, error: 'unavailable' }]);
    const b = scriptedModel('b', [{ after: 10, reply: 'late' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(fallback(a, b), req), '^-----!').toBe('------');
    });
    expect(b.calls[0]).toMatchObject({ subscribedAt: 2, endedAt: 6, end: 'unsubscribed' });
  });

  it('answers each request of a stream on its own', () => {
    const a = scriptedModel('a', (r) => (r.id === 'r1' ? { after: 1, error: 'throttled' } : { after: 1, reply: 'a' }));
    const b = scriptedModel('b', [{ after: 1, reply: 'b' }]);
    scheduler().run(({ expectObservable }) => {
      const requests = of(req, toRequest({ id: 'r2', prompt: 'x' }));
      expectObservable(requests.pipe(fallback(a, b))).toBe('-x(y|)', {
        x: expect.objectContaining({ requestId: 'r2', modelId: 'a' }),
        y: expect.objectContaining({ requestId: 'r1', modelId: 'b' }),
      });
    });
  });

  it('checks its options when created', () => {
    const a = scriptedModel('a', [{ reply: 'a' }]);
    expect(() => fallback([])).toThrow(/fallback: models/);
    expect(() => fallback(a, 3 as unknown as Model)).toThrow(/models\[1\]/);
    expect(() => fallback([a], { on: 'x' as unknown as () => boolean })).toThrow(/fallback: on/);
  });

  it('gives exactly one outcome per request and leaves no call open, for any scripts', () => {
    fc.assert(
      fc.property(scriptArb, scriptArb, scriptArb, fc.integer({ min: 1, max: 4 }), (sa, sb, sc, n) => {
        const models = [scriptedModel('a', sa), scriptedModel('b', sb), scriptedModel('c', sc)];
        const seen = runRequests(fallback(...models), n);
        return seen.every(exactlyOne) && allEnded(...models);
      }),
      { numRuns: 150 },
    );
  });
});
