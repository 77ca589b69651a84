import { describe, expect, it } from 'vitest';
import { of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import type { StreamEvent } from '../../src/core/stream.js';
import { hedgeFirstToken } from '../../src/streaming/hedgeFirstToken.js';
import { scriptedStreamingModel } from '../../src/testing/index.js';
import { coldModel, completed, delta, req, testScheduler } from './helpers.js';

const values = { a: delta('a'), b: delta('b'), x: delta('x', 'b'), y: delta('y', 'b'), A: completed('ab'), C: completed('xy', 'b') };

describe('hedgeFirstToken', () => {
  it('starts the next model when none has a token after `after`; the first token wins and the loser is unsubscribed in that frame', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-----a-b(A|)', values);
      const b = cold('--x-y(C|)', values);
      const m = hedgeFirstToken([coldModel('a', a), coldModel('b', b)], { after: 2, events: bus });
      expectObservable(of(req).pipe(m)).toBe('----x-y(C|)', {
        ...values,
        C: { type: 'completed', response: expect.objectContaining({ modelId: 'b', latencyMs: 7, attempts: [{ modelId: 'a', outcome: 'cancelled', latencyMs: 4 }, { modelId: 'b', outcome: 'success', latencyMs: 0 }] }) },
      });
      expectSubscriptions(a.subscriptions).toBe('^---!');
      expectSubscriptions(b.subscriptions).toBe('--^----!');
    });
    expect(seen).toEqual([{ type: 'hedge-fired', time: 2, requestId: 'r1', attempt: 2, modelId: 'b' }]);
  });

  it('never starts another model when the first token comes in time', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a---b(A|)', values);
      const b = cold('x(C|)', values);
      expectObservable(of(req).pipe(hedgeFirstToken([coldModel('a', a), coldModel('b', b)], { after: 2 }))).toBe('-a---b(A|)', {
        ...values,
        A: { type: 'completed', response: expect.objectContaining({ text: 'ab', attempts: [expect.objectContaining({ modelId: 'a', outcome: 'success' })] }) },
      });
      expectSubscriptions(a.subscriptions).toBe('^-----!');
      expectSubscriptions(b.subscriptions).toBe([]);
    });
  });

  it('the consumer never sees text from a loser: it is cut when the winner\'s first token arrives', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('---a-b(A|)', values);
      const b = cold('x-y(C|)', values);
      const m = hedgeFirstToken([coldModel('a', a), coldModel('b', b)], { after: 1 });
      expectObservable(of(req).pipe(m)).toBe('-x-y(C|)', { ...values, C: { type: 'completed', response: expect.objectContaining({ modelId: 'b', text: 'xy' }) } });
      expectSubscriptions(a.subscriptions).toBe('^!');
      expectSubscriptions(b.subscriptions).toBe('-^--!');
    });
  });

  it('a failure before any token starts the next at once; all failing gives all-failed', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold<StreamEvent>('-#', {}, new ModelError('throttled', 'x', { modelId: 'a' }));
      const b = cold('--x(C|)', values);
      expectObservable(of(req).pipe(hedgeFirstToken([coldModel('a', a), coldModel('b', b)], { after: 5 }))).toBe('---x(C|)', {
        ...values,
        C: { type: 'completed', response: expect.objectContaining({ attempts: [{ modelId: 'a', outcome: 'failure', errorKind: 'throttled', latencyMs: 1 }, expect.objectContaining({ modelId: 'b' })] }) },
      });
      expectSubscriptions(b.subscriptions).toBe('-^--!');
    });
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold<StreamEvent>('---#', {}, new ModelError('throttled', 'x'));
      const b = cold<StreamEvent>('-#', {}, new ModelError('unavailable', 'x'));
      expectObservable(of(req).pipe(hedgeFirstToken([coldModel('a', a), coldModel('b', b)], { after: 1 }))).toBe('---#', {}, new ModelError('all-failed', 'x'));
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('-^!');
    });
  });

  it('an error from the winner after its first token is final', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('---a-#', values, new ModelError('model-error', 'x'));
      const b = cold('----x(C|)', values);
      expectObservable(of(req).pipe(hedgeFirstToken([coldModel('a', a), coldModel('b', b)], { after: 2 }))).toBe('---a-#', values, new ModelError('model-error', 'x'));
      expectSubscriptions(a.subscriptions).toBe('^----!');
      expectSubscriptions(b.subscriptions).toBe('--^!');
    });
  });

  it('hedges one model up to `max` times and records the losers as cancelled', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const m = scriptedStreamingModel('m', [
      { firstTokenMs: 10, tokens: ['slow'] },
      { firstTokenMs: 10, tokens: ['slow'] },
      { firstTokenMs: 1, tokens: ['fast'] },
    ]);
    testScheduler().run(({ expectObservable }) => {
      expectObservable(of(req).pipe(hedgeFirstToken(m, { after: 2, max: 3, events: bus }))).toBe('-----(dC|)', {
        d: delta('fast', 'm'),
        C: { type: 'completed', response: expect.objectContaining({ text: 'fast', attempts: [{ modelId: 'm', outcome: 'cancelled', latencyMs: 5 }, { modelId: 'm', outcome: 'cancelled', latencyMs: 3 }, expect.objectContaining({ outcome: 'success' })] }) },
      });
    });
    expect(m.calls.map((c) => [c.subscribedAt, c.endedAt, c.end, c.tokensEmitted])).toEqual([
      [0, 5, 'unsubscribed', 0],
      [2, 5, 'unsubscribed', 0],
      [4, 5, 'completed', 1],
    ]);
    expect(seen.map((e) => e.type === 'hedge-fired' && [e.time, e.attempt])).toEqual([[2, 2], [4, 3]]);
  });

  it('unsubscribes every attempt when the consumer unsubscribes', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('------a(A|)', values);
      const b = cold('------x(C|)', values);
      expectObservable(of(req).pipe(hedgeFirstToken([coldModel('a', a), coldModel('b', b)], { after: 1 })), '^---!').toBe('-----');
      expectSubscriptions(a.subscriptions).toBe('^---!');
      expectSubscriptions(b.subscriptions).toBe('-^--!');
    });
  });

  it('handles a synchronous failure, and an attempt that ends without an answer, as failures', () => {
    const a = scriptedStreamingModel('a', [{ tokens: [], failAfter: { tokens: 0, error: 'throttled' } }]);
    const b = scriptedStreamingModel('b', [{ tokens: ['ok'] }]);
    const texts: string[] = [];
    of(req).pipe(hedgeFirstToken([a, b], { after: 10 })).subscribe((e) => e.type === 'completed' && texts.push(e.response.text));
    expect(texts).toEqual(['ok']);
    let error: ModelError | undefined;
    of(req)
      .pipe(hedgeFirstToken([coldModel('empty', of()), a], { after: 10 }))
      .subscribe({ error: (e: ModelError) => (error = e) });
    expect(error?.attempts?.map((x) => x.errorKind)).toEqual(['invalid-output', 'throttled']);
  });

  it('checks its options at creation, naming the option', () => {
    const a = coldModel('a', of());
    expect(() => hedgeFirstToken([], { after: 1 })).toThrow(/models/);
    expect(() => hedgeFirstToken(a, { after: -1 })).toThrow(/after/);
    expect(() => hedgeFirstToken(a, { after: 1, max: 1.5 })).toThrow(/max/);
    expect(() => hedgeFirstToken(a, undefined as never)).toThrow(/after/);
  });
});
