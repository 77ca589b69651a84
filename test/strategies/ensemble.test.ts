import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY, mergeMap, type Observable } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { invoke, type Model } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import type { InferenceResponse } from '../../src/core/response.js';
import { average } from '../../src/strategies/combiners/average.js';
import { vote } from '../../src/strategies/combiners/vote.js';
import { ensemble } from '../../src/strategies/ensemble.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';
import { allEnded, exactlyOne, runRequests, scriptArb } from './scriptArbitrary.js';

const req = toRequest({ id: 'r1', prompt: 'capital of France?' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const usage = (n: number) => ({ inputTokens: n, outputTokens: n });
const fromObservable = (answer: Observable<InferenceResponse>, modelId: string): Model =>
  Object.assign((source: Observable<unknown>) => source.pipe(mergeMap(() => answer)), { modelId }) as unknown as Model;
const reply = (modelId: string, text: string): InferenceResponse => ({
  requestId: 'r1', modelId, text, message: { role: 'assistant', content: [{ text }] }, stopReason: 'end_turn',
  usage: usage(1), latencyMs: 0, attempts: [{ modelId, outcome: 'success', latencyMs: 0 }],
});

describe('ensemble', () => {
  it('answers once a quorum agrees and unsubscribes the remaining members in that frame', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--(r|)', { r: reply('a', 'Paris') });
      const b = cold('---(r|)', { r: reply('b', 'paris.') });
      const c = cold('------(r|)', { r: reply('c', 'Lyon') });
      const m = ensemble([fromObservable(a, 'a'), fromObservable(b, 'b'), fromObservable(c, 'c')], { combine: vote(), quorum: 2 });
      expectObservable(invoke(m, req)).toBe('---(r|)', {
        r: expect.objectContaining({
          modelId: 'ensemble(vote)', text: 'Paris', latencyMs: 3, usage: usage(2),
          attempts: [
            { modelId: 'a', outcome: 'success', latencyMs: 0 },
            { modelId: 'b', outcome: 'success', latencyMs: 0 },
            { modelId: 'c', outcome: 'cancelled', latencyMs: 3 },
          ],
          parts: [expect.objectContaining({ modelId: 'a' }), expect.objectContaining({ modelId: 'b' })],
          details: { winner: 'paris', votes: 2, tally: { paris: 2 }, combiner: 'vote', members: 3, answered: 2 },
        }),
      });
      expectSubscriptions(a.subscriptions).toBe('^-!');
      expectSubscriptions(b.subscriptions).toBe('^--!');
      expectSubscriptions(c.subscriptions).toBe('^--!');
    });
  });

  it('does not even start members after a synchronous quorum', () => {
    const a = scriptedModel('a', [{ reply: 'yes' }]);
    const b = scriptedModel('b', [{ reply: 'YES' }]);
    const c = scriptedModel('c', [{ reply: 'no' }]);
    let attempts: readonly unknown[] = [];
    invoke(ensemble([a, b, c], { combine: vote(), quorum: 2 }), req).subscribe((r) => (attempts = r.attempts));
    expect(c.calls).toHaveLength(0);
    expect(attempts).toEqual([expect.objectContaining({ modelId: 'a' }), expect.objectContaining({ modelId: 'b' })]);
  });

  it('without a quorum, waits for every member, tolerating failures', () => {
    const a = scriptedModel('a', [{ after: 1, reply: 'yes', usage: usage(2), costUsd: 0.5 }]);
    const b = scriptedModel('b', [{ after: 2, error: 'throttled' }]);
    const c = scriptedModel('c', [{ after: 4, reply: 'Yes.', usage: usage(3), costUsd: 0.25 }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(ensemble([a, b, c], { combine: vote() }), req)).toBe('----(r|)', {
        r: expect.objectContaining({
          text: 'yes', usage: usage(5), costUsd: 0.75, latencyMs: 4,
          attempts: [
            { modelId: 'a', outcome: 'success', latencyMs: 1 },
            { modelId: 'b', outcome: 'failure', errorKind: 'throttled', latencyMs: 2 },
            { modelId: 'c', outcome: 'success', latencyMs: 4 },
          ],
          details: expect.objectContaining({ tally: { yes: 2 }, answered: 2, members: 3 }),
        }),
      });
    });
  });

  it('breaks a tie by first arrival', () => {
    const a = scriptedModel('a', [{ after: 3, reply: 'red' }]);
    const b = scriptedModel('b', [{ after: 1, reply: 'blue' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(ensemble([a, b], { combine: vote() }), req)).toBe('---(r|)', { r: expect.objectContaining({ text: 'blue' }) });
    });
  });

  it('fails with all-failed when fewer than minSuccesses answer, carrying every attempt', () => {
    const a = scriptedModel('a', [{ after: 1, reply: 'yes' }]);
    const b = scriptedModel('b', [{ after: 2, error: 'unavailable' }]);
    const c = scriptedModel('c', [{ after: 3, error: 'validation' }]);
    let error: ModelError | undefined;
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(ensemble([a, b, c], { combine: vote(), minSuccesses: 2 }), req)).toBe('---#', undefined, new ModelError('all-failed', ''));
      invoke(ensemble([a, b, c], { combine: vote(), minSuccesses: 2 }), req).subscribe({ error: (e: ModelError) => (error = e) });
    });
    expect(error).toMatchObject({ kind: 'all-failed', retriable: true, fallback: true });
    expect(error!.message).toMatch(/1 of 3 members answered, 2 needed/);
    expect(error!.attempts!.map((x) => x.outcome)).toEqual(['success', 'failure', 'failure']);
  });

  it('fails with all-failed, not retriable, when every member failed for good', () => {
    const a = scriptedModel('a', [{ error: 'validation' }]);
    const b = scriptedModel('b', [{ error: 'access-denied' }]);
    let error: ModelError | undefined;
    invoke(ensemble([a, b], { combine: vote() }), req).subscribe({ error: (e: ModelError) => (error = e) });
    expect(error).toMatchObject({ kind: 'all-failed', retriable: false, fallback: true });
  });

  it('counts a member past memberTimeoutMs as timed out and unsubscribes it', () => {
    const a = scriptedModel('a', [{ after: 1, reply: '4' }]);
    const b = scriptedModel('b', [{ hang: true }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(ensemble([a, b], { combine: vote(), memberTimeoutMs: 5 }), req)).toBe('-----(r|)', {
        r: expect.objectContaining({ text: '4', attempts: [expect.objectContaining({ modelId: 'a' }), { modelId: 'b', outcome: 'failure', errorKind: 'timeout', latencyMs: 5 }] }),
      });
    });
    expect(b.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 5 });
  });

  it('waits for everyone when the quorum is never met', () => {
    const a = scriptedModel('a', [{ after: 1, reply: 'x' }]);
    const b = scriptedModel('b', [{ after: 2, reply: 'y' }]);
    const c = scriptedModel('c', [{ after: 3, reply: 'z' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(ensemble([a, b, c], { combine: vote(), quorum: 2 }), req)).toBe('---(r|)', { r: expect.objectContaining({ text: 'x', details: expect.objectContaining({ answered: 3 }) }) });
    });
  });

  it('with a quorum, stops before it is met once the members still out could not change the vote', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // x, x, y, z: one member left, a y or z would only tie x, and x arrived first
      const at = (frames: string, modelId: string, text: string) => cold(frames, { r: reply(modelId, text) });
      const ms = [at('-(r|)', 'a', 'x'), at('--(r|)', 'b', 'y'), at('---(r|)', 'c', 'x'), at('----(r|)', 'd', 'z'), at('--------(r|)', 'e', 'y')];
      const m = ensemble(ms.map((o, i) => fromObservable(o, 'abcde'[i]!)), { combine: vote(), quorum: 3 });
      expectObservable(invoke(m, req)).toBe('----(r|)', {
        r: expect.objectContaining({ text: 'x', details: expect.objectContaining({ tally: { x: 2, y: 1, z: 1 }, answered: 4 }) }),
      });
      expectSubscriptions(ms[4]!.subscriptions).toBe('^---!');
    });
  });

  it('with a quorum, waits for the last member when it could still swing a tie', () => {
    const texts = ['y', 'x', 'x', 'z', 'y'];
    const ms = texts.map((text, i) => scriptedModel('abcde'[i]!, [{ after: i + 1, reply: text }]));
    scheduler().run(({ expectObservable }) => {
      // after y, x, x, z a last y ties x and wins (y arrived first)
      expectObservable(invoke(ensemble(ms, { combine: vote(), quorum: 3 }), req)).toBe('-----(r|)', { r: expect.objectContaining({ text: 'y', details: expect.objectContaining({ answered: 5 }) }) });
    });
  });

  it('accepts a plain function as combiner without counting a member twice', () => {
    const a = scriptedModel('a', [{ after: 1, reply: 'first', usage: usage(1) }]);
    const b = scriptedModel('b', [{ after: 2, reply: 'second', usage: usage(2) }]);
    const last = (rs: readonly InferenceResponse[]) => rs[rs.length - 1]!;
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(ensemble([a, b], { combine: last }), req)).toBe('--(r|)', {
        r: expect.objectContaining({ modelId: 'ensemble(last)', text: 'second', usage: usage(3), attempts: [expect.objectContaining({ modelId: 'a' }), expect.objectContaining({ modelId: 'b' })] }),
      });
    });
  });

  it("fails with the combiner's error, carrying the members' attempts", () => {
    const a = scriptedModel('a', [{ reply: 'no idea' }]);
    let error: ModelError | undefined;
    invoke(ensemble([a], { combine: average() }), req).subscribe({ error: (e: ModelError) => (error = e) });
    expect(error).toMatchObject({ kind: 'invalid-output' });
    expect(error!.attempts).toEqual([
      expect.objectContaining({ modelId: 'a', outcome: 'success' }),
      expect.objectContaining({ modelId: 'combine(average)', outcome: 'failure', errorKind: 'invalid-output' }),
    ]);
  });

  it('fails with model-error when an Observable combiner gives no answer', () => {
    let error: unknown;
    invoke(ensemble([scriptedModel('a', [{ reply: 'x' }])], { combine: () => EMPTY }), req).subscribe({ error: (e) => (error = e) });
    expect(error).toMatchObject({ kind: 'model-error', message: 'ensemble(combine): the combiner gave no answer' });
  });

  it('answers synchronously, emits nothing for no requests, and unsubscribes every member when the caller leaves', () => {
    const now = scriptedModel('now', [{ reply: 'x' }]);
    const never = scriptedModel('never', [{ hang: true }]);
    const never2 = scriptedModel('never2', [{ hang: true }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(ensemble([now, now], { combine: vote() }), req)).toBe('(r|)', { r: expect.objectContaining({ text: 'x' }) });
      expectObservable(EMPTY.pipe(ensemble([now], { combine: vote() }))).toBe('|');
      expectObservable(invoke(ensemble([never, never2], { combine: vote() }), req), '^---!').toBe('-');
    });
    expect([never.calls[0], never2.calls[0]]).toEqual([expect.objectContaining({ end: 'unsubscribed', endedAt: 4 }), expect.objectContaining({ end: 'unsubscribed', endedAt: 4 })]);
  });

  it('checks its options when created', () => {
    const a = scriptedModel('a', [{ reply: 'ok' }]);
    expect(() => ensemble([], { combine: vote() })).toThrow(/ensemble: models/);
    expect(() => ensemble([a], undefined as never)).toThrow(/ensemble: combine/);
    expect(() => ensemble([a], { combine: {} as ReturnType<typeof vote> })).toThrow(/ensemble: combine/);
    expect(() => ensemble([a, a], { combine: vote(), quorum: 3 })).toThrow(/ensemble: quorum/);
    expect(() => ensemble([a, a], { combine: vote(), minSuccesses: 0 })).toThrow(/ensemble: minSuccesses/);
    expect(() => ensemble([a, a], { combine: vote(), minSuccesses: 2, quorum: 1 })).toThrow(/quorum \(1\) must be at least minSuccesses/);
    expect(() => ensemble([a], { combine: vote(), memberTimeoutMs: 0 })).toThrow(/ensemble: memberTimeoutMs/);
  });

  it('gives exactly one outcome per request and leaves no call open, for any scripts and quorum', () => {
    fc.assert(
      fc.property(scriptArb, scriptArb, scriptArb, fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), fc.integer({ min: 1, max: 3 }), (sa, sb, sc, quorum, n) => {
        const models = [scriptedModel('a', sa), scriptedModel('b', sb), scriptedModel('c', sc)];
        const m = ensemble(models, { combine: vote(), ...(quorum === undefined ? {} : { quorum }), memberTimeoutMs: 5 });
        return runRequests(m, n).every(exactlyOne) && allEnded(...models);
      }),
      { numRuns: 150 },
    );
  });
});
