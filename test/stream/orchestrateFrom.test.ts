import { describe, expect, it } from 'vitest';
import { defer, firstValueFrom, lastValueFrom, map, mergeMap, of, take, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { InferenceRequest, Model } from '../../src/core/index.js';
import { orchestrateFrom } from '../../src/stream/index.js';
import { request, response, summary } from './helpers.js';

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const syncModel: Model = (requests$) => requests$.pipe(map((req) => response(req)));

describe('orchestrateFrom', () => {
  it('pulls the next request from an iterable only when a slot frees', () => {
    const pulledAt: number[] = [];
    let closed = false;
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      function* requests(): Generator<InferenceRequest> {
        try {
          for (const id of ['a', 'b', 'c', 'd', 'e']) {
            pulledAt.push(ts.now());
            yield request(id);
          }
        } finally {
          closed = true;
        }
      }
      const model: Model = (requests$) => requests$.pipe(mergeMap((req) => cold('----x|').pipe(map(() => response(req)))));
      expectObservable(orchestrateFrom(requests(), model, 2).pipe(map(summary))).toBe('----(ab)(cd)(e|)', {
        a: 'R:a',
        b: 'R:b',
        c: 'R:c',
        d: 'R:d',
        e: 'R:e',
      });
    });
    expect(pulledAt).toEqual([0, 0, 4, 4, 8]);
    expect(closed).toBe(true);
  });

  it('closes the iterator and cancels requests in flight when unsubscribed early', () => {
    let pulled = 0;
    let closed = false;
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inner = cold('-----x|');
      function* requests(): Generator<InferenceRequest> {
        try {
          for (;;) yield request(`r${pulled++}`);
        } finally {
          closed = true;
        }
      }
      const model: Model = (requests$) => requests$.pipe(mergeMap((req) => inner.pipe(map(() => response(req)))));
      expectObservable(orchestrateFrom(requests(), model, 3).pipe(take(4), map(summary))).toBe('-----(abc)(d|)', {
        a: 'R:r0',
        b: 'R:r1',
        c: 'R:r2',
        d: 'R:r3',
      });
      expectSubscriptions(inner.subscriptions).toBe(['^----!', '^----!', '^----!', '-----^----!', '-----^----!', '-----^----!']);
    });
    expect(pulled).toBe(6);
    expect(closed).toBe(true);
  });

  it('keeps input order with `ordered`, reading an array', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const delays: Record<string, string> = { a: '---x|', b: '-x|', c: '--x|' };
      const model: Model = (requests$) => requests$.pipe(mergeMap((req) => cold(delays[req.id]!).pipe(map(() => response(req)))));
      const out = orchestrateFrom([request('a'), request('b'), request('c')], model, { concurrency: 3, ordered: true });
      expectObservable(out.pipe(map(summary))).toBe('---(abc|)', { a: 'R:a', b: 'R:b', c: 'R:c' });
    });
  });

  it('reads an async iterable lazily, never holding more than `concurrency` requests', async () => {
    let pulled = 0;
    let done = 0;
    let widest = 0;
    async function* requests(): AsyncGenerator<InferenceRequest> {
      for (let i = 0; i < 40; i++) {
        pulled++;
        widest = Math.max(widest, pulled - done);
        yield i % 10 === 9 ? ({ id: `r${i}`, prompt: 5 } as never) : request(`r${i}`);
      }
    }
    const model: Model = (requests$) =>
      requests$.pipe(mergeMap((req) => defer(() => Promise.resolve()).pipe(map(() => response(req)))));
    const outcomes = await lastValueFrom(orchestrateFrom(requests(), model, 3).pipe(map((o) => (done++, o)), toArray()));
    expect(outcomes).toHaveLength(40);
    expect(outcomes.filter(isLeft).map((o) => o.left.kind)).toEqual(['validation', 'validation', 'validation', 'validation']);
    expect(widest).toBeLessThanOrEqual(3);
  });

  it('runs a long synchronous source with a synchronous model without growing the stack', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => request(`r${i}`));
    const count = await lastValueFrom(orchestrateFrom(many, syncModel, 8).pipe(toArray(), map((all) => all.length)));
    expect(count).toBe(10_000);
  });

  it('ends with the error of an iterator that throws', async () => {
    function* broken(): Generator<InferenceRequest> {
      yield request('a');
      throw new Error('disk gone');
    }
    const seen: string[] = [];
    await expect(lastValueFrom(orchestrateFrom(broken(), syncModel, 1).pipe(map((o) => (seen.push(summary(o)), o))))).rejects.toThrow(
      'disk gone',
    );
    expect(seen).toEqual(['R:a']);
  });

  it('sends an Observable through the bounded queue of orchestrate', async () => {
    const source: Observable<InferenceRequest> = of(request('a'), request('b'), request('c'));
    const slow: Model = (requests$) => requests$.pipe(mergeMap((req) => defer(() => Promise.resolve()).pipe(map(() => response(req)))));
    const outcomes = await firstValueFrom(orchestrateFrom(source, slow, { concurrency: 1, maxQueue: 1 }).pipe(map(summary), toArray()));
    expect(outcomes).toEqual(['L:queue-full:c', 'R:a', 'R:b']);
  });

  it('rejects a source it cannot read', () => {
    expect(() => orchestrateFrom('a prompt' as never, syncModel)).toThrow(TypeError);
    expect(() => orchestrateFrom(42 as never, syncModel)).toThrow(/source/);
  });
});
