import { describe, expect, it } from 'vitest';
import { mergeMap, of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { streamFallback } from '../../src/streaming/streamFallback.js';
import { withStallTimeout } from '../../src/streaming/withStallTimeout.js';
import { scriptedStreamingModel } from '../../src/testing/index.js';
import { coldModel, completed, delta, req, testScheduler } from './helpers.js';

const values = { a: delta('a'), b: delta('b'), c: delta('c'), C: completed('abc') };
const timeoutError = new ModelError('timeout', 'x');

describe('withStallTimeout', () => {
  it('cuts a stream silent between tokens, unsubscribing it at that frame', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--a-b-----c(C|)', values);
      expectObservable(of(req).pipe(withStallTimeout(coldModel('a', a), { firstTokenMs: 3, betweenTokensMs: 2, events: bus }))).toBe('--a-b-#', values, timeoutError);
      expectSubscriptions(a.subscriptions).toBe('^-----!');
    });
    expect(seen).toEqual([{ type: 'stream-stalled', time: 6, requestId: 'r1', modelId: 'a', silentMs: 2 }]);
  });

  it('cuts a stream whose first token is late', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    let error: ModelError | undefined;
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-----a-b-c(C|)', values);
      const m = withStallTimeout(coldModel('a', a), { firstTokenMs: 3, betweenTokensMs: 1, events: bus });
      expectObservable(of(req).pipe(m)).toBe('---#', values, timeoutError);
      expectSubscriptions(a.subscriptions).toBe(['^--!', '^--!']);
      of(req).pipe(m).subscribe({ error: (e: ModelError) => (error = e) });
    });
    expect(seen.map((e) => e.type === 'stream-stalled' && e.silentMs)).toEqual([3, 3]);
    expect(error).toMatchObject({ kind: 'timeout', source: 'stream-stalled', modelId: 'a', requestId: 'r1', retriable: true, fallback: true });
  });

  it('lets a lively stream through untouched; a number sets both limits', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a-b-c(C|)', values);
      expectObservable(of(req).pipe(withStallTimeout(coldModel('a', a), 2))).toBe('-a-b-c(C|)', values);
      expectSubscriptions(a.subscriptions).toBe('^-----!');
    });
  });

  it('with only firstTokenMs, never limits the gaps after the first token', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const a = cold('-a------b(C|)', values);
      expectObservable(of(req).pipe(withStallTimeout(coldModel('a', a), { firstTokenMs: 2 }))).toBe('-a------b(C|)', values);
    });
  });

  it('with only betweenTokensMs, also limits the wait for the first token', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const a = cold('---a(C|)', values);
      expectObservable(of(req).pipe(withStallTimeout(coldModel('a', a), { betweenTokensMs: 2 }))).toBe('--#', values, timeoutError);
    });
  });

  it('makes streamFallback move on from a stalled stream, which is cancelled', () => {
    const a = scriptedStreamingModel('a', [{ firstTokenMs: 1, everyMs: 1, tokens: ['one', ' two', ' three'], stallAfter: 2 }]);
    const b = scriptedStreamingModel('b', [{ firstTokenMs: 1, everyMs: 1, tokens: [' three'] }]);
    testScheduler().run(({ expectObservable }) => {
      const m = streamFallback(withStallTimeout(a, { betweenTokensMs: 5 }), b, { policy: 'continue' });
      expectObservable(of(req).pipe(m)).toBe('-xy-----(zC|)', {
        x: delta('one'),
        y: delta(' two'),
        z: delta(' three', 'b'),
        C: { type: 'completed', response: expect.objectContaining({ text: 'one two three', attempts: [expect.objectContaining({ modelId: 'a', outcome: 'failure', errorKind: 'timeout' }), expect.objectContaining({ modelId: 'b', outcome: 'success' })] }) },
      });
    });
    expect(a.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 7, tokensEmitted: 2 });
    expect(b.calls[0]).toMatchObject({ subscribedAt: 7, end: 'completed' });
  });

  it('names the model from its deltas when the model does not advertise an id', () => {
    let error: ModelError | undefined;
    testScheduler().run(({ cold }) => {
      const a = cold('-a---', { a: delta('a', 'from-delta') });
      of(req).pipe(withStallTimeout((requests) => requests.pipe(mergeMap(() => a)), 2)).subscribe({ error: (e: ModelError) => (error = e) });
    });
    expect(error).toMatchObject({ kind: 'timeout', modelId: 'from-delta' });
  });

  it('advertises the wrapped model\'s id and checks its options at creation', () => {
    const a = scriptedStreamingModel('a', [{ tokens: [] }]);
    expect((withStallTimeout(a, 5) as { modelId?: string }).modelId).toBe('a');
    expect(() => withStallTimeout(a, {})).toThrow(TypeError);
    expect(() => withStallTimeout(a, { firstTokenMs: 0 })).toThrow(/firstTokenMs/);
    expect(() => withStallTimeout(a, { betweenTokensMs: Number.NaN })).toThrow(/betweenTokensMs/);
    expect(() => withStallTimeout('a' as never, 5)).toThrow(/model/);
  });
});
