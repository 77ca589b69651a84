import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY, from, map, mergeMap, retry, take, throwError, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isLeft } from 'fp-ts/lib/Either.js';
import { createEventBus, ModelError, type InferenceRequest, type Model, type RuntimeEvent } from '../../src/core/index.js';
import { orchestrate } from '../../src/stream/index.js';
import { request, response, summary } from './helpers.js';

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** A model whose answer to each request is the cold observable named by its id. */
function modelOf(inners: Record<string, Observable<unknown>>): Model {
  return (requests$) => requests$.pipe(mergeMap((req) => inners[req.id]!.pipe(map(() => response(req)))));
}

const reqs = { a: request('a'), b: request('b'), c: request('c'), d: request('d') };

describe('orchestrate', () => {
  it('runs at most `concurrency` requests at once: the third starts when a slot frees', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('----x|');
      const b = cold('----x|');
      const c = cold('----x|');
      const out = cold('(abc|)', reqs).pipe(orchestrate(modelOf({ a, b, c }), 2), map(summary));
      expectObservable(out).toBe('----(ab)(c|)', { a: 'R:a', b: 'R:b', c: 'R:c' });
      expectSubscriptions(a.subscriptions).toBe('^---!');
      expectSubscriptions(b.subscriptions).toBe('^---!');
      expectSubscriptions(c.subscriptions).toBe('----^---!');
    });
  });

  it('queues requests that arrive while every slot is busy (the diagram in the JSDoc)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const model: Model = (requests$) => requests$.pipe(mergeMap((req) => cold('----x|').pipe(map(() => response(req)))));
      expectObservable(cold('abcd|', reqs).pipe(orchestrate(model, 2), map(summary))).toBe('----ab--c(d|)', {
        a: 'R:a',
        b: 'R:b',
        c: 'R:c',
        d: 'R:d',
      });
    });
  });

  it('emits in completion order by default and in input order with `ordered`', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const inners = { a: cold('-----x|'), b: cold('-x|'), c: cold('--x|') };
      const values = { a: 'R:a', b: 'R:b', c: 'R:c' };
      expectObservable(cold('(abc|)', reqs).pipe(orchestrate(modelOf(inners), 3), map(summary))).toBe('-bc--(a|)', values);
      expectObservable(cold('(abc|)', reqs).pipe(orchestrate(modelOf(inners), { concurrency: 3, ordered: true }), map(summary))).toBe(
        '-----(abc|)',
        values,
      );
    });
  });

  it('ordered: a slot frees only when its outcome is emitted, so a slow head bounds the window', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-----x|');
      const b = cold('-x|');
      const c = cold('----x|');
      const out = cold('(abc|)', reqs).pipe(orchestrate(modelOf({ a, b, c }), { concurrency: 2, ordered: true }), map(summary));
      expectObservable(out).toBe('-----(ab)(c|)', { a: 'R:a', b: 'R:b', c: 'R:c' });
      expectSubscriptions(c.subscriptions).toBe('-----^---!');
    });
  });

  it('gives one Left per request when the model errors, throws synchronously, completes empty or never answers in time', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const model: Model = (requests$) =>
        requests$.pipe(
          mergeMap((req) => {
            if (req.id === 'a') return cold<never>('-----#', undefined, new ModelError('throttled', 'slow down'));
            if (req.id === 'b') throw new Error('sync boom');
            if (req.id === 'c') return EMPTY;
            return cold('--------x|').pipe(map(() => response(req)));
          }),
        );
      const out = cold('(abcd|)', reqs).pipe(orchestrate(model, { concurrency: 4, deadlineMs: 7 }), map(summary));
      expectObservable(out).toBe('(bc)-a-(d|)', {
        a: 'L:throttled:a',
        b: 'L:model-error:b',
        c: 'L:model-error:c',
        d: 'L:timeout:d',
      });
    });
  });

  it('turns a model function that throws, and one that completes without a response, into Lefts with messages', () => {
    const outcomes: string[] = [];
    const throwing: Model = () => {
      throw new Error('cannot build');
    };
    const empty: Model = () => EMPTY;
    scheduler().run(({ cold }) => {
      for (const model of [throwing, empty]) {
        cold('(a|)', reqs)
          .pipe(orchestrate(model))
          .subscribe((o) => outcomes.push(isLeft(o) ? `${o.left.kind}:${o.left.requestId}:${o.left.message}` : 'right'));
      }
    });
    expect(outcomes).toEqual(['model-error:a:cannot build', 'model-error:a:model completed without a response']);
  });

  it('takes the first response when a model emits several, and unsubscribes the rest', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-x-y-z|');
      expectObservable(cold('(a|)', reqs).pipe(orchestrate(modelOf({ a })), map(summary))).toBe('-(a|)', { a: 'R:a' });
      expectSubscriptions(a.subscriptions).toBe('^!');
    });
  });

  it('turns undecodable input into a validation Left carrying its id, and decodes prompt strings', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const bad = { id: 'bad', prompt: 5 };
      const empty = { id: 'none', messages: [] };
      const input = cold('(xyz|)', { x: bad, y: empty, z: { id: 'ok', prompt: 'hi' } }) as unknown as Observable<never>;
      const model: Model = (requests$) => requests$.pipe(map((req) => response(req)));
      expectObservable(input.pipe(orchestrate(model), map(summary))).toBe('(xyz|)', {
        x: 'L:validation:bad',
        y: 'L:validation:none',
        z: 'R:ok',
      });
    });
  });

  it('deadlineMs bounds everything the model does, retries included, and cancels it', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const flaky = cold<never>('--#', undefined, new ModelError('unavailable', 'down'));
      const model: Model = (requests$) => requests$.pipe(mergeMap((req) => flaky.pipe(retry(10), map(() => response(req)))));
      expectObservable(cold('(a|)', reqs).pipe(orchestrate(model, { deadlineMs: 5 }), map(summary))).toBe('-----(a|)', { a: 'L:timeout:a' });
      expectSubscriptions(flaky.subscriptions).toBe(['^-!', '--^-!', '----^!']);
    });
  });

  it('unsubscribing the output cancels every request in flight and reports them cancelled', () => {
    const events: RuntimeEvent[] = [];
    const bus = createEventBus();
    bus.events$.subscribe((e) => events.push(e));
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('------x|');
      const b = cold('------x|');
      expectObservable(cold('(ab|)', reqs).pipe(orchestrate(modelOf({ a, b }), { events: bus })), '---!').toBe('');
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('^--!');
    });
    expect(events.filter((e) => e.type === 'request-completed')).toEqual([
      expect.objectContaining({ requestId: 'a', time: 3, ok: false, errorKind: 'cancelled', latencyMs: 3 }),
      expect.objectContaining({ requestId: 'b', time: 3, ok: false, errorKind: 'cancelled', latencyMs: 3 }),
    ]);
  });

  it('answers requests past maxQueue with a queue-full Left at once, and keeps going', () => {
    const events: RuntimeEvent[] = [];
    const bus = createEventBus();
    bus.events$.subscribe((e) => events.push(e));
    scheduler().run(({ cold, expectObservable }) => {
      const inners = { a: cold('----x|'), b: cold('----x|') };
      const out = cold('(abcd|)', reqs).pipe(orchestrate(modelOf(inners), { concurrency: 1, maxQueue: 1, events: bus }), map(summary));
      expectObservable(out).toBe('(cd)a---(b|)', { a: 'R:a', b: 'R:b', c: 'L:queue-full:c', d: 'L:queue-full:d' });
    });
    expect(events.filter((e) => e.type === 'request-completed' && !e.ok)).toEqual([
      { type: 'request-completed', time: 0, requestId: 'c', strategy: undefined, ok: false, errorKind: 'queue-full', modelId: undefined, latencyMs: 0 },
      { type: 'request-completed', time: 0, requestId: 'd', strategy: undefined, ok: false, errorKind: 'queue-full', modelId: undefined, latencyMs: 0 },
    ]);
    expect(events.filter((e) => e.type === 'request-started').map((e) => `${e.time}:${e.requestId}`)).toEqual(['0:a', '0:c', '0:d', '4:b']);
  });

  it('emits request-started and request-completed with scheduler times, usage, cost, model and strategy', () => {
    const events: RuntimeEvent[] = [];
    const bus = createEventBus();
    bus.events$.subscribe((e) => events.push(e));
    scheduler().run(({ cold, expectObservable }) => {
      const model: Model = (requests$) =>
        requests$.pipe(
          mergeMap((req) =>
            req.id === 'a'
              ? cold('---x|').pipe(map(() => response(req, 'nova')))
              : cold<never>('--#', undefined, new ModelError('throttled', 'slow', { modelId: 'claude' })),
          ),
        );
      expectObservable(cold('-(ab|)', reqs).pipe(orchestrate(model, { events: bus, strategy: 'fallback' }), map(summary))).toBe('---b(a|)', {
        a: 'R:a',
        b: 'L:throttled:b',
      });
    });
    expect(events).toEqual([
      { type: 'request-started', time: 1, requestId: 'a', strategy: 'fallback' },
      { type: 'request-started', time: 1, requestId: 'b', strategy: 'fallback' },
      {
        type: 'request-completed',
        time: 3,
        requestId: 'b',
        strategy: 'fallback',
        ok: false,
        errorKind: 'throttled',
        modelId: 'claude',
        latencyMs: 2,
      },
      {
        type: 'request-completed',
        time: 4,
        requestId: 'a',
        strategy: 'fallback',
        ok: true,
        modelId: 'nova',
        latencyMs: 3,
        usage: { inputTokens: 3, outputTokens: 5 },
        costUsd: 0.25,
      },
    ]);
  });

  it('stops reading a synchronous push source as soon as the consumer unsubscribes', () => {
    let calls = 0;
    const model: Model = (requests$) => requests$.pipe(map((req) => (calls++, response(req))));
    const seen: string[] = [];
    from(Array.from({ length: 1_000 }, (_, i) => request(`r${i}`)))
      .pipe(orchestrate(model, 1), take(2))
      .subscribe((o) => seen.push(summary(o)));
    expect(seen).toEqual(['R:r0', 'R:r1']);
    expect(calls).toBe(2);
  });

  it('propagates an error of the request stream itself (not of a request)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const model: Model = (requests$) => requests$.pipe(map((req) => response(req)));
      expectObservable(cold('a#', reqs, new Error('input broke')).pipe(orchestrate(model), map(summary))).toBe(
        'a#',
        { a: 'R:a' },
        new Error('input broke'),
      );
    });
  });

  it('checks options when created and names the bad one', () => {
    const model: Model = (requests$) => requests$.pipe(map((req) => response(req)));
    expect(() => orchestrate(model, 0)).toThrow(/concurrency/);
    expect(() => orchestrate(model, { concurrency: 1.5 })).toThrow(TypeError);
    expect(() => orchestrate(model, { deadlineMs: -1 })).toThrow(/deadlineMs/);
    expect(() => orchestrate(model, { maxQueue: -1 })).toThrow(/maxQueue/);
    expect(() => orchestrate(model, { strategy: '' })).toThrow(/strategy/);
    expect(() => orchestrate(model, { events: {} as never })).toThrow(/events/);
  });

  it('property: any mix of succeeding, failing, throwing, empty and multi-emitting models gives exactly one outcome per request', () => {
    type Behaviour = 'ok' | 'slow' | 'fail' | 'throw' | 'empty' | 'multi' | 'never';
    const behaviour = fc.constantFrom<Behaviour>('ok', 'slow', 'fail', 'throw', 'empty', 'multi', 'never');
    fc.assert(
      fc.property(
        fc.array(behaviour, { maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (behaviours, concurrency, ordered, spacing) => {
          const seen: string[] = [];
          scheduler().run(({ cold }) => {
            const plan = new Map(behaviours.map((b, i) => [`r${i}`, b]));
            const model: Model = (requests$) =>
              requests$.pipe(
                mergeMap((req: InferenceRequest) => {
                  switch (plan.get(req.id)) {
                    case 'ok':
                      return cold('-x|').pipe(map(() => response(req)));
                    case 'slow':
                      return cold('-----x|').pipe(map(() => response(req)));
                    case 'fail':
                      return cold<never>('--#', undefined, new ModelError('unavailable', 'down'));
                    case 'throw':
                      throw new Error('sync');
                    case 'empty':
                      return cold<never>('-|');
                    case 'multi':
                      return cold('xy|').pipe(map(() => response(req)));
                    default:
                      return throwError(() => new Error('unknown'));
                    case 'never':
                      return cold<never>('-');
                  }
                }),
              );
            const frames = '-'.repeat(spacing);
            const source = cold(`${behaviours.map((_b, i) => `${frames}(${String.fromCharCode(0x100 + i)})`).join('')}|`, Object.fromEntries(behaviours.map((_b, i) => [String.fromCharCode(0x100 + i), request(`r${i}`)])));
            source.pipe(orchestrate(model, { concurrency, ordered, deadlineMs: 20 })).subscribe((o) => seen.push(isLeft(o) ? o.left.requestId! : o.right.requestId));
          });
          expect(seen.length).toBe(behaviours.length);
          expect(new Set(seen)).toEqual(new Set(behaviours.map((_b, i) => `r${i}`)));
          if (ordered) expect(seen).toEqual(behaviours.map((_b, i) => `r${i}`));
        },
      ),
      { numRuns: 150 },
    );
  });
});
