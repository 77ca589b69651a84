import { describe, expect, it } from 'vitest';
import { of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { toRequest } from '../../src/core/request.js';
import { marbles, modelErrorOfKind, modelTestScheduler, scriptedModel } from '../../src/testing/index.js';

const req = toRequest({ id: 'r1', prompt: 'hello there' });

describe('scriptedModel', () => {
  it('follows its steps, repeating the last, and records every call', () => {
    const m = scriptedModel('m', [{ after: 3, reply: 'a' }, { after: 2, error: 'throttled' }]);
    modelTestScheduler((a, e) => expect(a).toEqual(e)).run(({ expectObservable }) => {
      expectObservable(of(req).pipe(m)).toBe('---(a|)', { a: expect.objectContaining({ text: 'a', modelId: 'm', latencyMs: 3 }) });
      expectObservable(of(req).pipe(m)).toBe('--#', undefined, new ModelError('throttled', 'x'));
      expectObservable(of(req).pipe(m)).toBe('--#', undefined, new ModelError('throttled', 'x'));
    });
    expect(m.calls.map((c) => [c.index, c.subscribedAt, c.endedAt, c.end])).toEqual([
      [0, 0, 3, 'reply'],
      [1, 0, 2, 'error'],
      [2, 0, 2, 'error'],
    ]);
  });

  it('records an unsubscription as a cancelled call and emits attempt events', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const m = scriptedModel('m', [{ hang: true }], { events: bus });
    modelTestScheduler((a, e) => expect(a).toEqual(e)).run(({ expectObservable }) => {
      expectObservable(of(req).pipe(m), '^---!').toBe('----');
    });
    expect(m.calls[0]).toMatchObject({ end: 'unsubscribed', subscribedAt: 0, endedAt: 4 });
    expect(seen.map((e) => e.type)).toEqual(['attempt-started', 'attempt-cancelled']);
  });

  it('accepts a function script and answers synchronously without `after`', () => {
    const m = scriptedModel('m', (r, i) => ({ reply: `${r.id}#${i}`, usage: { inputTokens: 1, outputTokens: 2 } }));
    const texts: string[] = [];
    of(req, { ...req, id: 'r2' }).pipe(m).subscribe((r) => texts.push(r.text));
    expect(texts).toEqual(['r1#0', 'r2#1']);
  });

  it('carries the Retry-After hint on scripted errors', () => {
    const m = scriptedModel('m', [{ error: 'throttled', retryAfterMs: 250 }]);
    let error: unknown;
    of(req).pipe(m).subscribe({ error: (e) => (error = e) });
    expect(error).toEqual(modelErrorOfKind('throttled'));
    expect((error as ModelError).retryAfterMs).toBe(250);
  });

  it('refuses an empty script', () => {
    expect(() => scriptedModel('m', [])).toThrow(TypeError);
  });

  it('works inside the vitest-configured marbles helper', marbles((ctx) => {
    const m = scriptedModel('m', [{ after: 2, reply: 'x' }], { scheduler: ctx.scheduler });
    ctx.expect(of(req).pipe(m)).toBeObservable('--(a|)', { a: expect.objectContaining({ text: 'x' }) });
  }));
});
