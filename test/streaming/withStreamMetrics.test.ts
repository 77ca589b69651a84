import { describe, expect, it } from 'vitest';
import { of } from 'rxjs';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { withStreamMetrics } from '../../src/streaming/withStreamMetrics.js';
import { scriptedStreamingModel } from '../../src/testing/index.js';
import { coldModel, req, testScheduler } from './helpers.js';

describe('withStreamMetrics', () => {
  it('emits first-token at the first delta and stream-completed with tokens per second, passing events through', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const a = scriptedStreamingModel('a', [{ firstTokenMs: 2, everyMs: 2, tokens: ['x', 'y', 'z'] }]);
    testScheduler().run(({ expectObservable }) => {
      expectObservable(of(req).pipe(withStreamMetrics(a, { events: bus }))).toBe('--x-y-(zC|)', {
        x: expect.objectContaining({ text: 'x' }),
        y: expect.objectContaining({ text: 'y' }),
        z: expect.objectContaining({ text: 'z' }),
        C: expect.objectContaining({ type: 'completed' }),
      });
    });
    expect(seen).toEqual([
      { type: 'first-token', time: 2, requestId: 'r1', modelId: 'a', ttftMs: 2 },
      { type: 'stream-completed', time: 6, requestId: 'r1', modelId: 'a', tokensPerSecond: 750 },
    ]);
  });

  it('measures over the whole call when everything came at once, and reports 0 for an instant call', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const a = scriptedStreamingModel('a', [{ firstTokenMs: 4, tokens: ['x', 'y'] }, { tokens: ['x'] }]);
    testScheduler().run(({ expectObservable }) => {
      expectObservable(of(req).pipe(withStreamMetrics(a, { events: bus }))).toBe('----(xyC|)', {
        x: expect.objectContaining({ text: 'x' }),
        y: expect.objectContaining({ text: 'y' }),
        C: expect.objectContaining({ type: 'completed' }),
      });
      expectObservable(of(req).pipe(withStreamMetrics(a, { events: bus }))).toBe('(xC|)', {
        x: expect.objectContaining({ text: 'x' }),
        C: expect.objectContaining({ type: 'completed' }),
      });
    });
    expect(seen.filter((e) => e.type === 'stream-completed').map((e) => e.type === 'stream-completed' && e.tokensPerSecond)).toEqual([0, 500]); // the instant call ends first, at frame 0
  });

  it('emits nothing for a stream cancelled before its first token', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-----x|');
      expectObservable(of(req).pipe(withStreamMetrics(coldModel('a', a as never), { events: bus })), '^--!').toBe('---');
      expectSubscriptions(a.subscriptions).toBe('^--!');
    });
    expect(seen).toEqual([]);
  });

  it('needs an event bus', () => {
    expect(() => withStreamMetrics(coldModel('a', of()), {} as never)).toThrow(/events/);
  });
});
