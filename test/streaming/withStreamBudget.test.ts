import { describe, expect, it } from 'vitest';
import { of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { streamFallback } from '../../src/streaming/streamFallback.js';
import { withStreamBudget } from '../../src/streaming/withStreamBudget.js';
import { scriptedStreamingModel } from '../../src/testing/index.js';
import { coldModel, completed, delta, req, testScheduler } from './helpers.js';

const values = { x: delta('x'), y: delta('y'), z: delta('z'), C: completed('xyz'), R: { type: 'reset' as const, requestId: 'r1', modelId: 'a', reason: 'x' } };
const exceeded = new ModelError('budget-exceeded', 'x');

describe('withStreamBudget', () => {
  it('withholds the delta that would cross maxOutputTokens and unsubscribes the stream in that frame', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-x-y-z(C|)', values);
      expectObservable(of(req).pipe(withStreamBudget(coldModel('a', a), { maxOutputTokens: 2, events: bus }))).toBe('-x-y-#', values, exceeded);
      expectSubscriptions(a.subscriptions).toBe('^----!');
    });
    expect(seen).toEqual([{ type: 'budget-exceeded', time: 5, requestId: 'r1', key: 'a', spentUsd: 0, spentTokens: 2 }]);
  });

  it('stops on price, counting tokens with tokensOf, and counts text a reset discarded', () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    let error: ModelError | undefined;
    testScheduler().run(({ cold, expectObservable }) => {
      const a = cold('-x-R-y-z(C|)', values);
      const m = withStreamBudget(coldModel('a', a), { maxUsd: 0.05, pricePer1kOutput: 10, tokensOf: () => 2, key: 'team-a', events: bus });
      expectObservable(of(req).pipe(m)).toBe('-x-R-y-#', values, exceeded);
      of(req).pipe(m).subscribe({ error: (e: ModelError) => (error = e) });
    });
    expect(seen[0]).toEqual({ type: 'budget-exceeded', time: 7, requestId: 'r1', key: 'team-a', spentUsd: 0.04, spentTokens: 4 });
    expect(error).toMatchObject({ kind: 'budget-exceeded', source: 'stream-budget', modelId: 'a', fallback: true, retriable: false });
  });

  it('lets a stream within budget through, completed included', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(of(req).pipe(withStreamBudget(coldModel('a', cold('-x-y-z(C|)', values)), { maxOutputTokens: 3 })))
        .toBe('-x-y-z(C|)', values);
    });
  });

  it('cancels a scripted call mid-stream, and a streamFallback can move on to a cheaper model', () => {
    const big = scriptedStreamingModel('big', [{ tokens: ['a', 'b', 'c', 'd'] }]);
    const small = scriptedStreamingModel('small', [{ tokens: ['s'] }]);
    const texts: string[] = [];
    of(req)
      .pipe(streamFallback([withStreamBudget(big, { maxOutputTokens: 2 }), small], { policy: 'restart' }))
      .subscribe((e) => texts.push(e.type === 'delta' ? e.text : e.type));
    expect(texts).toEqual(['a', 'b', 'reset', 's', 'completed']);
    expect(big.calls[0]).toMatchObject({ tokensEmitted: 3, end: 'unsubscribed' });
  });

  it('checks its options at creation, naming the option', () => {
    const a = coldModel('a', of());
    expect(() => withStreamBudget(a, {})).toThrow(/maxOutputTokens, maxUsd/);
    expect(() => withStreamBudget(a, { maxOutputTokens: 1.5 })).toThrow(/maxOutputTokens/);
    expect(() => withStreamBudget(a, { maxUsd: 1 })).toThrow(/pricePer1kOutput/);
    expect(() => withStreamBudget(a, { maxUsd: -1, pricePer1kOutput: 1 })).toThrow(/maxUsd/);
    expect(() => withStreamBudget(a, { maxOutputTokens: 1, tokensOf: 2 as never })).toThrow(/tokensOf/);
    expect((withStreamBudget(a, { maxOutputTokens: 1 }) as { modelId?: string }).modelId).toBe('a');
  });
});
