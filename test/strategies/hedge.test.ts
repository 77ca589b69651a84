import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { delay, EMPTY, mergeMap, type Observable } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { invoke, type Model } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import type { InferenceResponse } from '../../src/core/response.js';
import { hedge } from '../../src/strategies/hedge.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { allEnded, exactlyOne, runRequests, scriptArb } from './scriptArbitrary.js';

const req = toRequest({ id: 'r1', prompt: 'hello there' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const fromObservable = (answer: Observable<InferenceResponse>, modelId: string): Model =>
  Object.assign((source: Observable<unknown>) => source.pipe(mergeMap(() => answer)), { modelId }) as unknown as Model;
const reply = (modelId: string): InferenceResponse => ({
  requestId: 'r1', modelId, text: modelId, message: { role: 'assistant', content: [{ text: modelId }] }, stopReason: 'end_turn',
  usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 0, attempts: [{ modelId, outcome: 'success', latencyMs: 0 }],
});

describe('hedge', () => {
  it('starts the next model after `after` ms and unsubscribes the loser when the first answer wins', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('------(r|)', { r: reply('a') });
      const b = cold('--(r|)', { r: reply('b') });
      expectObservable(invoke(hedge([fromObservable(a, 'a'), fromObservable(b, 'b')], { after: 3 }), req)).toBe('-----(r|)', {
        r: expect.objectContaining({
          modelId: 'b', latencyMs: 5,
          attempts: [{ modelId: 'a', outcome: 'cancelled', latencyMs: 5 }, { modelId: 'b', outcome: 'success', latencyMs: 0 }],
        }),
      });
      expectSubscriptions(a.subscriptions).toBe('^----!');
      expectSubscriptions(b.subscriptions).toBe('---^-!');
    });
  });

  it('hedges one model with itself up to max attempts, firing hedge-fired events', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const m = scriptedModel('m', (_r, i) => (i < 2 ? { hang: true } : { after: 1, reply: 'third' }));
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(hedge(m, { after: 3, max: 3, events: bus }), req)).toBe('-------(r|)', { r: expect.objectContaining({ text: 'third' }) });
    });
    expect(m.calls.map((c) => [c.subscribedAt, c.endedAt, c.end])).toEqual([[0, 7, 'unsubscribed'], [3, 7, 'unsubscribed'], [6, 7, 'reply']]);
    expect(seen).toEqual([
      { type: 'hedge-fired', time: 3, requestId: 'r1', attempt: 2, modelId: 'm' },
      { type: 'hedge-fired', time: 6, requestId: 'r1', attempt: 3, modelId: 'm' },
    ]);
  });

  it('does not hedge when the answer comes in the same frame as the deadline, even scheduled after it', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // the answer is scheduled at frame 1 for frame 3, after hedge armed its deadline for frame 3 (at frame 0)
      const a = cold('-(r|)', { r: reply('a') }).pipe(delay(2));
      const b = cold('(r|)', { r: reply('b') });
      expectObservable(invoke(hedge([fromObservable(a, 'a'), fromObservable(b, 'b')], { after: 3 }), req)).toBe('---(r|)', { r: expect.objectContaining({ modelId: 'a' }) });
      expectSubscriptions(b.subscriptions).toBe([]);
    });
  });

  it('starts the next attempt at once when one fails', () => {
    const a = scriptedModel('a', [{ after: 2, error: 'unavailable' }]);
    const b = scriptedModel('b', [{ after: 2, reply: 'b' }]);
    const c = scriptedModel('c', [{ reply: 'c' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(hedge([a, b, c], { after: 10 }), req)).toBe('----(r|)', {
        r: expect.objectContaining({ modelId: 'b', attempts: [expect.objectContaining({ modelId: 'a', outcome: 'failure', errorKind: 'unavailable' }), expect.objectContaining({ modelId: 'b' })] }),
      });
    });
    expect(b.calls[0]!.subscribedAt).toBe(2);
    expect(c.calls).toHaveLength(0);
  });

  it('after a failure, waits for the attempts still running', () => {
    const a = scriptedModel('a', [{ after: 8, reply: 'a' }]);
    const b = scriptedModel('b', [{ after: 1, error: 'throttled' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(hedge([a, b], { after: 2 }), req)).toBe('--------(r|)', {
        r: expect.objectContaining({ modelId: 'a', attempts: [expect.objectContaining({ modelId: 'b', outcome: 'failure' }), expect.objectContaining({ modelId: 'a', outcome: 'success' })] }),
      });
    });
  });

  it('keeps at most max attempts in flight; a failure frees a slot', () => {
    const a = scriptedModel('a', [{ after: 10, reply: 'a' }]);
    const b = scriptedModel('b', [{ after: 3, error: 'model-error' }]);
    const c = scriptedModel('c', [{ after: 1, reply: 'c' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(hedge([a, b, c], { after: 2, max: 2 }), req)).toBe('------(r|)', { r: expect.objectContaining({ modelId: 'c' }) });
    });
    expect([a, b, c].map((m) => m.calls.map((x) => [x.subscribedAt, x.endedAt, x.end]))).toEqual([
      [[0, 6, 'unsubscribed']],
      [[2, 5, 'error']],
      [[5, 6, 'reply']],
    ]);
  });

  it('fails with all-failed carrying every attempt when all fail', () => {
    const a = scriptedModel('a', [{ after: 5, error: 'timeout' }]);
    const b = scriptedModel('b', [{ after: 1, error: 'access-denied' }]);
    let error: ModelError | undefined;
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(hedge([a, b], { after: 2 }), req)).toBe('-----#', undefined, new ModelError('all-failed', ''));
      invoke(hedge([a, b], { after: 2 }), req).subscribe({ error: (e: ModelError) => (error = e) });
    });
    expect(error).toMatchObject({ kind: 'all-failed', retriable: true });
    expect(error!.attempts).toEqual([
      { modelId: 'a', outcome: 'failure', errorKind: 'timeout', latencyMs: 5 },
      { modelId: 'b', outcome: 'failure', errorKind: 'access-denied', latencyMs: 1 },
    ]);
  });

  it('moves past a synchronous failure in the same frame', () => {
    const a = scriptedModel('a', [{ error: 'model-error' }]);
    const b = scriptedModel('b', [{ reply: 'b' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(hedge([a, b], { after: 5 }), req)).toBe('(r|)', { r: expect.objectContaining({ modelId: 'b', attempts: [expect.objectContaining({ outcome: 'failure' }), expect.objectContaining({ outcome: 'success' })] }) });
    });
  });

  it('answers synchronously without hedging, and emits nothing for no requests', () => {
    const m = scriptedModel('m', [{ reply: 'now' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(hedge(m, { after: 1 }), req)).toBe('(r|)', { r: expect.objectContaining({ text: 'now' }) });
      expectObservable(EMPTY.pipe(hedge(m, { after: 1 }))).toBe('|');
    });
    expect(m.calls).toHaveLength(1);
  });

  it('unsubscribes every attempt in flight when the caller leaves (never answering models)', () => {
    const m = scriptedModel('m', [{ hang: true }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(hedge(m, { after: 2 }), req), '^----!').toBe('-');
    });
    expect(m.calls.map((c) => [c.subscribedAt, c.endedAt, c.end])).toEqual([[0, 5, 'unsubscribed'], [2, 5, 'unsubscribed']]);
  });

  it('checks its options when created', () => {
    const m = scriptedModel('m', [{ reply: 'ok' }]);
    expect(() => hedge([], { after: 1 })).toThrow(/hedge: models/);
    expect(() => hedge(m, { after: -1 })).toThrow(/hedge: after/);
    expect(() => hedge(m, undefined as never)).toThrow(/hedge: after/);
    expect(() => hedge(m, { after: 1, max: 0 })).toThrow(/hedge: max/);
  });

  it('gives exactly one outcome per request and leaves no call open, for any scripts', () => {
    fc.assert(
      fc.property(scriptArb, scriptArb, scriptArb, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), (sa, sb, sc, after, max, n) => {
        const models = [scriptedModel('a', sa), scriptedModel('b', sb), scriptedModel('c', sc)];
        const single = scriptedModel('s', sa);
        const ok = runRequests(hedge(models, { after, max }), n).every(exactlyOne) && runRequests(hedge(single, { after, max }), n).every(exactlyOne);
        return ok && allEnded(...models, single);
      }),
      { numRuns: 150 },
    );
  });
});
