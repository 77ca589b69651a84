// The README's "Testing your own strategies" example, kept here so it stays true.
import { describe, expect, it } from 'vitest';
import { mergeMap, of, race } from 'rxjs';
import { toRequest, type Model } from '../../src/index.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';

// A custom strategy: ask two models, keep whichever answers first.
const firstOf = (a: Model, b: Model): Model => (requests) => requests.pipe(mergeMap((r) => race(of(r).pipe(a), of(r).pipe(b))));

describe('firstOf', () => {
  it('keeps the faster answer and cancels the slower call', () => {
    const a = scriptedModel('a', [{ after: 5, reply: 'slow' }]);
    const b = scriptedModel('b', [{ after: 2, reply: 'fast' }]);
    modelTestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ expectObservable }) => {
      expectObservable(of(toRequest('hi')).pipe(firstOf(a, b))).toBe('--(r|)', { r: expect.objectContaining({ text: 'fast' }) });
    });
    expect(a.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 2 });
  });
});
