import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY, mergeMap, type Observable } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { invoke, type Model } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import type { InferenceResponse } from '../../src/core/response.js';
import { withRetry } from '../../src/strategies/withRetry.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { allEnded, exactlyOne, runRequests, scriptArb } from './scriptArbitrary.js';

const req = toRequest({ id: 'r1', prompt: 'hello there' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const none = { initialMs: 10, factor: 2, maxMs: 1_000, jitter: 'none' } as const;
const fromObservable = (answer: Observable<InferenceResponse>): Model => (source) => source.pipe(mergeMap(() => answer));

describe('withRetry', () => {
  it('waits the exact backoff between tries and answers with every attempt', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const m = scriptedModel('m', [{ after: 2, error: 'throttled' }, { after: 2, error: 'unavailable' }, { after: 2, reply: 'fine' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(withRetry(m, { count: 2, backoff: none, events: bus }), req)).toBe('36ms (r|)', {
        r: expect.objectContaining({
          text: 'fine', latencyMs: 36,
          attempts: [
            { modelId: 'm', outcome: 'failure', errorKind: 'throttled', latencyMs: 2 },
            { modelId: 'm', outcome: 'failure', errorKind: 'unavailable', latencyMs: 2 },
            { modelId: 'm', outcome: 'success', latencyMs: 2 },
          ],
        }),
      });
    });
    expect(m.calls.map((c) => c.subscribedAt)).toEqual([0, 12, 34]);
    expect(seen).toEqual([
      { type: 'retry', time: 2, requestId: 'r1', attempt: 1, delayMs: 10, errorKind: 'throttled', modelId: 'm' },
      { type: 'retry', time: 14, requestId: 'r1', attempt: 2, delayMs: 20, errorKind: 'unavailable', modelId: 'm' },
    ]);
  });

  it('draws jitter from the injected random source', () => {
    const m = scriptedModel('m', [{ error: 'throttled' }, { error: 'throttled' }, { error: 'throttled' }, { reply: 'ok' }]);
    const draws = [0.5, 0.25, 0.9];
    const random = () => draws.shift()!;
    scheduler().run(({ expectObservable }) => {
      const retried = withRetry(m, { count: 3, backoff: { initialMs: 100, factor: 2, maxMs: 10_000, jitter: 'equal' }, random });
      // equal jitter: 50 + 0.5·50 = 75, 100 + 0.25·100 = 125, 200 + 0.9·200 = 380
      expectObservable(invoke(retried, req)).toBe('580ms (r|)', { r: expect.objectContaining({ latencyMs: 580 }) });
    });
    expect(m.calls.map((c) => c.subscribedAt)).toEqual([0, 75, 200, 580]);
  });

  it('is reproducible with its default seeded jitter', () => {
    const delays = () => {
      const m = scriptedModel('m', [{ error: 'throttled' }, { error: 'throttled' }, { reply: 'ok' }]);
      scheduler().run(() => invoke(withRetry(m, 2), req).subscribe());
      return m.calls.map((c) => c.subscribedAt);
    };
    const first = delays();
    expect(first[1]).toBeGreaterThanOrEqual(0);
    expect(first[1]).toBeLessThanOrEqual(100);
    expect(first[2]! - first[1]!).toBeLessThanOrEqual(200);
    expect(delays()).toEqual(first);
  });

  it('waits at least the Retry-After hint', () => {
    const m = scriptedModel('m', [{ after: 1, error: 'throttled', retryAfterMs: 250 }, { after: 1, reply: 'ok' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(withRetry(m, { count: 1, backoff: none }), req)).toBe('252ms (r|)', { r: expect.objectContaining({ text: 'ok' }) });
    });
  });

  it('resubscribes the model after each delay (subscriptions)', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const m = cold<InferenceResponse>('-#', undefined, new ModelError('timeout', 'slow', { modelId: 'm' }));
      expectObservable(invoke(withRetry(fromObservable(m), { count: 1, backoff: { ...none, initialMs: 3 } }), req)).toBe('-----#', undefined, new ModelError('timeout', ''));
      expectSubscriptions(m.subscriptions).toBe(['^!', '----^!']);
    });
  });

  it('does not retry non-retriable errors and rethrows them as is', () => {
    for (const kind of ['validation', 'access-denied', 'quota-exceeded'] as const) {
      const m = scriptedModel('m', [{ after: 1, error: kind }, { reply: 'never' }]);
      let error: ModelError | undefined;
      scheduler().run(() => invoke(withRetry(m, { count: 3, backoff: none }), req).subscribe({ error: (e: ModelError) => (error = e) }));
      expect(m.calls).toHaveLength(1);
      expect(error).toMatchObject({ kind, modelId: 'm' });
      expect(error!.attempts).toBeUndefined();
    }
  });

  it('gives up after count retries with the last error, carrying every attempt', () => {
    const m = scriptedModel('m', [{ after: 1, error: 'unavailable' }, { after: 1, error: 'throttled' }]);
    let error: ModelError | undefined;
    scheduler().run(({ expectObservable }) => {
      const retried = withRetry(m, { count: 1, backoff: none });
      expectObservable(invoke(retried, req)).toBe('12ms #', undefined, new ModelError('throttled', ''));
      invoke(retried, req).subscribe({ error: (e: ModelError) => (error = e) });
    });
    expect(error).toMatchObject({ kind: 'throttled', retriable: true });
    expect(error!.attempts!.map((a) => a.errorKind)).toEqual(['unavailable', 'throttled']);
  });

  it('narrows retries with retryOn', () => {
    const m = scriptedModel('m', [{ after: 1, error: 'timeout' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(withRetry(m, { count: 3, backoff: none, retryOn: (e) => e.kind !== 'timeout' }), req)).toBe('-#', undefined, new ModelError('timeout', ''));
    });
    expect(m.calls).toHaveLength(1);
  });

  it('retries a synchronous failure in the same frame with a zero backoff', () => {
    const m = scriptedModel('m', [{ error: 'model-error' }, { reply: 'ok' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(withRetry(m, { count: 1, backoff: { initialMs: 0, jitter: 'none' } }), req)).toBe('(r|)', { r: expect.objectContaining({ text: 'ok' }) });
    });
  });

  it('emits nothing for no requests; unsubscribing during a wait starts no new try', () => {
    const never = scriptedModel('never', [{ hang: true }]);
    const m = scriptedModel('m', [{ after: 1, error: 'throttled' }, { reply: 'ok' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(EMPTY.pipe(withRetry(m, 1))).toBe('|');
      expectObservable(invoke(withRetry(never, 1), req), '^---!').toBe('-');
      expectObservable(invoke(withRetry(m, { count: 1, backoff: none }), req), '^----!').toBe('-');
    });
    expect(never.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 4 });
    expect(m.calls).toHaveLength(1);
  });

  it('checks its options when created', () => {
    const m = scriptedModel('m', [{ reply: 'ok' }]);
    expect(() => withRetry(m, -1)).toThrow(/withRetry: count/);
    expect(() => withRetry(m, 1.5)).toThrow(/withRetry: count/);
    expect(() => withRetry(m, undefined as never)).toThrow(/withRetry: count/);
    expect(() => withRetry(m, { count: 1, backoff: { factor: 0 } })).toThrow(/withRetry: backoff\.factor/);
    expect(() => withRetry(m, { count: 1, retryOn: 1 as unknown as () => boolean })).toThrow(/withRetry: retryOn/);
  });

  it('gives exactly one outcome per request and leaves no call open, for any script', () => {
    fc.assert(
      fc.property(scriptArb, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 }), (script, count, n) => {
        const m = scriptedModel('m', script);
        const seen = runRequests(withRetry(m, { count, backoff: none }), n);
        return seen.every(exactlyOne) && allEnded(m) && m.calls.length <= n * (count + 1);
      }),
      { numRuns: 150 },
    );
  });
});
