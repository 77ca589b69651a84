import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY, mergeMap, of, type Observable } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { invoke, type Model } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import type { InferenceResponse } from '../../src/core/response.js';
import { withTimeout } from '../../src/strategies/withTimeout.js';
import { modelErrorOfKind, modelTestScheduler, scriptedModel, type ScriptStep } from '../../src/testing/index.js';
import { allEnded, exactlyOne, runRequests, stepArb } from './scriptArbitrary.js';

const req = toRequest({ id: 'r1', prompt: 'hello there' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const fromObservable = (answer: Observable<InferenceResponse>): Model => (source) => source.pipe(mergeMap(() => answer));

describe('withTimeout', () => {
  it('fails with a timeout ModelError and unsubscribes the model in the same frame', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const m = cold<InferenceResponse>('------r|');
      expectObservable(invoke(withTimeout(fromObservable(m), 4), req)).toBe('----#', undefined, new ModelError('timeout', ''));
      expectSubscriptions(m.subscriptions).toBe('^---!');
    });
  });

  it('names the model and request in the error and marks it retriable', () => {
    const m = scriptedModel('slow', [{ hang: true }]);
    let error: ModelError | undefined;
    scheduler().run(() => invoke(withTimeout(m, 5), req).subscribe({ error: (e: ModelError) => (error = e) }));
    expect(error).toMatchObject({ kind: 'timeout', modelId: 'slow', requestId: 'r1', retriable: true, fallback: true, source: 'withTimeout' });
    expect(m.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 5 });
  });

  it('passes an answer in time through untouched', () => {
    const m = scriptedModel('m', [{ after: 3, reply: 'quick' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(withTimeout(m, { each: 4 }), req)).toBe('---(r|)', { r: expect.objectContaining({ text: 'quick', latencyMs: 3 }) });
    });
  });

  it('switches to `with` when time is up', () => {
    const slow = scriptedModel('slow', [{ after: 10, reply: 'late' }]);
    const spare = scriptedModel('spare', [{ after: 1, reply: 'spare' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(withTimeout(slow, { first: 4, with: (r) => of(r).pipe(spare) }), req)).toBe('-----(r|)', {
        r: expect.objectContaining({ modelId: 'spare' }),
      });
    });
    expect(slow.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 4 });
    expect(spare.calls[0]).toMatchObject({ subscribedAt: 4 });
  });

  it('passes a synchronous error through and emits nothing for no requests', () => {
    const m = scriptedModel('m', [{ error: 'validation' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(withTimeout(m, 4), req)).toBe('#', undefined, new ModelError('validation', ''));
      expectObservable(EMPTY.pipe(withTimeout(m, 4))).toBe('|');
    });
  });

  it('unsubscribes the model when the caller leaves first', () => {
    const m = scriptedModel('m', [{ hang: true }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(withTimeout(m, 10), req), '^--!').toBe('-');
    });
    expect(m.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 3 });
  });

  it('times each request of a stream on its own', () => {
    const m = scriptedModel('m', (r) => (r.id === 'r1' ? { after: 6, reply: 'slow' } : { after: 2, reply: 'fast' }));
    const errors: unknown[] = [];
    const texts: string[] = [];
    scheduler().run(() => {
      of(toRequest({ id: 'r2', prompt: 'x' })).pipe(withTimeout(m, 4)).subscribe((r) => texts.push(r.text));
      invoke(withTimeout(m, 4), req).subscribe({ error: (e) => errors.push(e) });
    });
    expect(texts).toEqual(['fast']);
    expect(errors).toEqual([modelErrorOfKind('timeout')]);
  });

  it('checks its options when created', () => {
    const m = scriptedModel('m', [{ reply: 'ok' }]);
    expect(() => withTimeout(m, 0)).toThrow(/withTimeout: ms/);
    expect(() => withTimeout(m, { each: -1 })).toThrow(/withTimeout: each/);
    expect(() => withTimeout(m, {})).toThrow(/withTimeout: give first or each/);
    expect(() => withTimeout(m, undefined as never)).toThrow(/withTimeout: give a number/);
    expect(() => withTimeout(m, { first: 1, with: 'x' as unknown as () => Observable<InferenceResponse> })).toThrow(/withTimeout: with/);
  });

  it('bounds any script, hanging calls included: one outcome per request, every call ended', () => {
    const withHangs = fc.array(fc.oneof(stepArb, fc.constant<ScriptStep>({ hang: true })), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(withHangs, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 }), (script, ms, n) => {
        const m = scriptedModel('m', script);
        return runRequests(withTimeout(m, ms), n).every(exactlyOne) && allEnded(m);
      }),
      { numRuns: 150 },
    );
  });
});
