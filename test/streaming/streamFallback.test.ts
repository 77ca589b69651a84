import { describe, expect, it } from 'vitest';
import { of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import type { StreamEvent } from '../../src/core/stream.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { streamFallback } from '../../src/streaming/streamFallback.js';
import { scriptedStreamingModel } from '../../src/testing/index.js';
import { coldModel, completed, delta, req, testScheduler } from './helpers.js';

const throttled = new ModelError('throttled', 'in-stream ThrottlingException', { modelId: 'a' });
const values = { a: delta('a'), b: delta('b'), x: delta('x', 'b'), y: delta('y', 'b'), C: completed('xy', 'b') };

describe('streamFallback', () => {
  it('before-first-token: moves on when a model fails before any token, at the frame it failed', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold<StreamEvent>('---#', {}, throttled);
      const b = cold('-x-y(C|)', values);
      const m = streamFallback(coldModel('a', a), coldModel('b', b), { policy: 'before-first-token', events: bus });
      expectObservable(of(req).pipe(m)).toBe('----x-y(C|)', {
        ...values,
        C: { type: 'completed', response: expect.objectContaining({ text: 'xy', modelId: 'b', latencyMs: 7, attempts: [{ modelId: 'a', outcome: 'failure', errorKind: 'throttled', latencyMs: 3 }, { modelId: 'b', outcome: 'success', latencyMs: 0 }] }) },
      });
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('---^---!');
    });
    expect(seen).toEqual([{ type: 'fallback', time: 3, requestId: 'r1', from: 'a', to: 'b', reason: 'throttled' }]);
  });

  it('before-first-token: an error after a token is final and the next model is never asked', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a-#', values, throttled);
      const b = cold('-x|', values);
      const m = streamFallback(coldModel('a', a), coldModel('b', b));
      expectObservable(of(req).pipe(m)).toBe('-a-#', values, throttled);
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe([]);
    });
  });

  it('restart: emits a reset before the next model\'s text, and unsubscribes the failed stream at its error', () => {
    let fb!: ReturnType<typeof coldModel>;
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a-b-#', values, throttled);
      const b = cold('--x-y(C|)', values);
      fb = coldModel('b', b);
      const m = streamFallback(coldModel('a', a), fb, { policy: 'restart' });
      expectObservable(of(req).pipe(m)).toBe('-a-b-R-x-y(C|)', {
        ...values,
        R: { type: 'reset', requestId: 'r1', modelId: 'a', reason: 'throttled' },
        C: { type: 'completed', response: expect.objectContaining({ text: 'xy', latencyMs: 10 }) },
      });
      expectSubscriptions(a.subscriptions).toBe('^----!');
      expectSubscriptions(b.subscriptions).toBe('-----^----!');
    });
    expect(fb.requests).toEqual([req]);
  });

  it('continue: asks the next model to continue the partial answer, and completes with the concatenation', () => {
    let fb!: ReturnType<typeof coldModel>;
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a-b-#', values, throttled);
      const b = cold('--x-y(C|)', values);
      fb = coldModel('b', b);
      const m = streamFallback(coldModel('a', a), fb, { policy: 'continue' });
      expectObservable(of(req).pipe(m)).toBe('-a-b---x-y(C|)', {
        ...values,
        C: { type: 'completed', response: expect.objectContaining({ text: 'abxy', message: { role: 'assistant', content: [{ text: 'abxy' }] }, modelId: 'b' }) },
      });
      expectSubscriptions(a.subscriptions).toBe('^----!');
      expectSubscriptions(b.subscriptions).toBe('-----^----!');
    });
    expect(fb.requests.map((r) => r.messages.at(-1))).toEqual([{ role: 'assistant', content: [{ text: 'ab' }] }]);
  });

  it('continue: sends the partial text as the start of the assistant turn', () => {
    const a = scriptedStreamingModel('a', [{ tokens: ['Hello', ' there ', 'friend'], failAfter: { tokens: 2, error: 'model-error' } }]);
    const b = scriptedStreamingModel('b', [{ tokens: ['  dear', ' friend'] }]);
    const out: string[] = [];
    let final = '';
    of(req)
      .pipe(streamFallback(a, b, { policy: 'continue' }))
      .subscribe((e) => (e.type === 'delta' ? out.push(e.text) : e.type === 'completed' ? (final = e.response.text) : undefined));
    expect(b.calls[0]!.request.messages).toEqual([...req.messages, { role: 'assistant', content: [{ text: 'Hello there' }] }]);
    expect(out).toEqual(['Hello', ' there ', 'dear', ' friend']);
    expect(final).toBe('Hello there dear friend');
    expect(final).toBe(out.join(''));
  });

  it('continue: extends the caller\'s own assistant prefill', () => {
    const prefilled = { ...req, messages: [...req.messages, { role: 'assistant' as const, content: [{ text: '{' }] }] };
    const a = scriptedStreamingModel('a', [{ tokens: ['"k"', ':'], failAfter: { tokens: 2, error: 'throttled' } }]);
    const b = scriptedStreamingModel('b', [{ tokens: ['1}'] }]);
    let final = '';
    of(prefilled)
      .pipe(streamFallback([a, b], { policy: 'continue' }))
      .subscribe((e) => e.type === 'completed' && (final = e.response.text));
    expect(b.calls[0]!.request.messages.at(-1)).toEqual({ role: 'assistant', content: [{ text: '{"k":' }] });
    expect(final).toBe('"k":1}');
  });

  it('fails with all-failed carrying every attempt when every model fails', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a#', values, throttled);
      const b = cold('--#', values, new ModelError('unavailable', 'down', { modelId: 'b' }));
      const m = streamFallback([coldModel('a', a), coldModel('b', b)], { policy: 'restart' });
      expectObservable(of(req).pipe(m)).toBe('-aR-#', { a: values.a, R: { type: 'reset', requestId: 'r1', modelId: 'a', reason: 'throttled' } }, new ModelError('all-failed', 'x'));
      expectSubscriptions(a.subscriptions).toBe('^-!');
      expectSubscriptions(b.subscriptions).toBe('--^-!');
    });
    let error: ModelError | undefined;
    const a = scriptedStreamingModel('a', [{ tokens: [], failAfter: { tokens: 0, error: 'throttled' } }]);
    const b = scriptedStreamingModel('b', [{ tokens: [], failAfter: { tokens: 0, error: 'timeout' } }]);
    of(req).pipe(streamFallback(a, b)).subscribe({ error: (e: ModelError) => (error = e) });
    expect(error?.kind).toBe('all-failed');
    expect(error?.retriable).toBe(true);
    expect(error?.attempts?.map((x) => [x.modelId, x.errorKind])).toEqual([['a', 'throttled'], ['b', 'timeout']]);
  });

  it('passes a non-fallback error through and never asks the next model', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--#', values, new ModelError('validation', 'bad'));
      const b = cold('-x|', values);
      expectObservable(of(req).pipe(streamFallback(coldModel('a', a), coldModel('b', b), { policy: 'restart' }))).toBe('--#', values, new ModelError('validation', 'x'));
      expectSubscriptions(b.subscriptions).toBe([]);
    });
  });

  it('honours a custom `on` and treats non-ModelErrors as model-error', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const a = cold('-#', values, new Error('socket hang up'));
      const b = cold('-x(C|)', values);
      const m = streamFallback(coldModel('a', a), coldModel('b', b), { on: (e) => e.kind === 'model-error' });
      expectObservable(of(req).pipe(m)).toBe('--x(C|)', { ...values, C: { type: 'completed', response: expect.objectContaining({ text: 'xy' }) } });
    });
  });

  it('unsubscribes the running attempt when the consumer unsubscribes', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-#', values, throttled);
      const b = cold('-x-y(C|)', values);
      const m = streamFallback(coldModel('a', a), coldModel('b', b), { policy: 'continue' });
      expectObservable(of(req).pipe(m), '^--!').toBe('--x', values);
      expectSubscriptions(b.subscriptions).toBe('-^-!');
    });
  });

  it('handles synchronous failures and answers, restarting on the same frame', () => {
    const a = scriptedStreamingModel('a', [{ tokens: ['p'], failAfter: { tokens: 1, error: 'unavailable' } }]);
    const b = scriptedStreamingModel('b', [{ tokens: ['q'] }]);
    const seen: string[] = [];
    of(req)
      .pipe(streamFallback(a, b, { policy: 'restart' }))
      .subscribe((e) => seen.push(e.type === 'delta' ? e.text : e.type === 'completed' ? `=${e.response.text}` : e.type));
    expect(seen).toEqual(['p', 'reset', 'q', '=q']);
    expect([a.calls[0]!.end, b.calls[0]!.end]).toEqual(['error', 'completed']);
  });

  it('checks its options at creation, naming the option', () => {
    const a = coldModel('a', of());
    expect(() => streamFallback([])).toThrow(/models/);
    expect(() => streamFallback(a, { policy: 'eventually' as never })).toThrow(/policy/);
    expect(() => streamFallback([a], { on: 3 as never })).toThrow(/\bon\b/);
    expect(() => streamFallback([a, 'b' as never])).toThrow(/models\[1\]/);
  });
});
