import { describe, expect, it } from 'vitest';
import { of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { toRequest } from '../../src/core/request.js';
import { modelTestScheduler, scriptedStreamingModel } from '../../src/testing/index.js';

const req = toRequest({ id: 'r1', prompt: 'hello there' });
const d = (text: string, modelId = 'm') => ({ type: 'delta', requestId: 'r1', modelId, text });
const done = (text: string, latencyMs: number) => ({
  type: 'completed',
  response: expect.objectContaining({ text, modelId: 'm', latencyMs, usage: { inputTokens: 3, outputTokens: text.length } }),
});
const ts = () => modelTestScheduler((a, e) => expect(a).toEqual(e));

describe('scriptedStreamingModel', () => {
  it('emits tokens on schedule, completes with their concatenation, and records every call', () => {
    const m = scriptedStreamingModel('m', [
      { firstTokenMs: 2, everyMs: 1, tokens: ['a', 'b', 'c'] },
      { firstTokenMs: 1, everyMs: 2, tokens: ['x', 'y'], failAfter: { tokens: 1, error: 'throttled' } },
    ]);
    ts().run(({ expectObservable }) => {
      expectObservable(of(req).pipe(m)).toBe('--ab(cC|)', { a: d('a'), b: d('b'), c: d('c'), C: done('abc', 4) });
      expectObservable(of(req).pipe(m)).toBe('-x-#', { x: d('x') }, new ModelError('throttled', 'x'));
      expectObservable(of(req).pipe(m)).toBe('-x-#', { x: d('x') }, new ModelError('throttled', 'x'));
    });
    expect(m.calls.map((c) => [c.index, c.subscribedAt, c.endedAt, c.end, c.tokensEmitted])).toEqual([
      [0, 0, 4, 'completed', 3],
      [1, 0, 3, 'error', 1],
      [2, 0, 3, 'error', 1],
    ]);
  });

  it('answers synchronously without timings, and completes at firstTokenMs with no tokens', () => {
    const m = scriptedStreamingModel('m', [{ tokens: ['a', 'b'] }, { firstTokenMs: 3, tokens: [] }]);
    ts().run(({ expectObservable }) => {
      expectObservable(of(req).pipe(m)).toBe('(abC|)', { a: d('a'), b: d('b'), C: done('ab', 0) });
      expectObservable(of(req).pipe(m)).toBe('---(C|)', { C: done('', 3) });
    });
  });

  it('fails in the slot after the last token when failAfter exceeds the tokens', () => {
    const m = scriptedStreamingModel('m', [{ firstTokenMs: 1, everyMs: 1, tokens: ['a'], failAfter: { tokens: 5, error: 'model-error' } }]);
    ts().run(({ expectObservable }) => {
      expectObservable(of(req).pipe(m)).toBe('-a#', { a: d('a') }, new ModelError('model-error', 'x'));
    });
    expect(m.calls[0]).toMatchObject({ end: 'error', tokensEmitted: 1 });
  });

  it('stalls after stallAfter tokens until unsubscribed, and emits attempt events', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const m = scriptedStreamingModel('m', [{ firstTokenMs: 1, everyMs: 1, tokens: ['a', 'b', 'c'], stallAfter: 2 }], { events: bus });
    ts().run(({ expectObservable }) => {
      expectObservable(of(req).pipe(m), '^-------!').toBe('-ab-----', { a: d('a'), b: d('b') });
    });
    expect(m.calls[0]).toMatchObject({ end: 'unsubscribed', subscribedAt: 0, endedAt: 8, tokensEmitted: 2 });
    expect(seen.map((e) => e.type)).toEqual(['attempt-started', 'attempt-cancelled']);
  });

  it('accepts a function script, one step per request', () => {
    const m = scriptedStreamingModel('m', (r, i) => ({ tokens: [r.id, `#${i}`] }));
    const texts: string[] = [];
    of(req, { ...req, id: 'r2' })
      .pipe(m)
      .subscribe((e) => e.type === 'completed' && texts.push(e.response.text));
    expect(texts).toEqual(['r1#0', 'r2#1']);
  });

  it('emits attempt-succeeded with usage and cost', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const m = scriptedStreamingModel('m', [{ tokens: ['a', 'b'], costUsd: 0.5 }], { events: bus });
    of(req).pipe(m).subscribe();
    expect(seen[1]).toMatchObject({ type: 'attempt-succeeded', usage: { outputTokens: 2 }, costUsd: 0.5 });
  });

  it('refuses bad scripts at creation, naming the option', () => {
    expect(() => scriptedStreamingModel('m', [])).toThrow(/script must/);
    expect(() => scriptedStreamingModel('m', [{ tokens: ['a'], everyMs: -1 }])).toThrow(/script\[0\]\.everyMs/);
    expect(() => scriptedStreamingModel('m', [{ tokens: ['a'], stallAfter: 1, failAfter: { tokens: 1, error: 'timeout' } }])).toThrow(TypeError);
    expect(() => scriptedStreamingModel('m', [{ tokens: 'a' as unknown as string[] }])).toThrow(/tokens/);
  });
});
