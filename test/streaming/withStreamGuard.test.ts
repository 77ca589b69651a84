import { describe, expect, it } from 'vitest';
import { of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { streamFallback } from '../../src/streaming/streamFallback.js';
import { withStreamGuard } from '../../src/streaming/withStreamGuard.js';
import { wordListGuard } from '../../src/streaming/wordListGuard.js';
import { coldModel, completed, delta, req, testScheduler } from './helpers.js';

const values = { a: delta('all '), s: delta('secret'), b: delta(' done'), C: completed('all secret done'), R: { type: 'reset' as const, requestId: 'r1', modelId: 'a', reason: 'throttled' } };
const guardrail = new ModelError('guardrail', 'x');

describe('withStreamGuard', () => {
  it('withholds the blocked delta, unsubscribes the stream in that frame and fails with guardrail', () => {
    let error: ModelError | undefined;
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a-s-b(C|)', values);
      const m = withStreamGuard(coldModel('a', a), wordListGuard(['SECRET']));
      expectObservable(of(req).pipe(m)).toBe('-a-#', values, guardrail);
      of(req).pipe(m).subscribe({ error: (e: ModelError) => (error = e) });
      expectSubscriptions(a.subscriptions).toBe(['^--!', '^--!']);
    });
    expect(error).toMatchObject({ kind: 'guardrail', source: 'stream-guard', modelId: 'a', requestId: 'r1', details: ['matched word "SECRET"'], retriable: false, fallback: false });
  });

  it('shows the guard the whole text so far, starting afresh after a reset', () => {
    const seen: string[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      const a = cold('-a-R-b(C|)', values);
      const m = withStreamGuard(coldModel('a', a), (text) => (seen.push(text), 'ok'));
      expectObservable(of(req).pipe(m)).toBe('-a-R-b(C|)', values);
    });
    expect(seen).toEqual(['all ', ' done', 'all secret done']);
  });

  it('checks a completed answer that arrived without deltas, and blocks when the guard throws', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(of(req).pipe(withStreamGuard(coldModel('a', cold('--(C|)', values)), wordListGuard([/secr?et/g])))).toBe('--#', values, guardrail);
      const throwing = withStreamGuard(coldModel('a', cold('-a|', values)), () => {
        throw new Error('regex engine on fire');
      });
      expectObservable(of(req).pipe(throwing)).toBe('-#', values, guardrail);
    });
  });

  it('is final: a streamFallback around it does not try the next model', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-s|', values);
      const b = cold('-a(C|)', values);
      const m = streamFallback(withStreamGuard(coldModel('a', a), wordListGuard(['secret'])), coldModel('b', b));
      expectObservable(of(req).pipe(m)).toBe('-#', values, guardrail);
      expectSubscriptions(b.subscriptions).toBe([]);
    });
  });

  it('checks its options at creation', () => {
    const a = coldModel('a', of());
    expect(() => withStreamGuard(a, 'no' as never)).toThrow(/guard/);
    expect(() => withStreamGuard(3 as never, () => 'ok')).toThrow(/model/);
    expect((withStreamGuard(a, () => 'ok') as { modelId?: string }).modelId).toBe('a');
  });
});

describe('wordListGuard', () => {
  it('matches words whole, ignoring case, and RegExps as written', () => {
    const guard = wordListGuard(['ass', 'top secret', /\b\d{3}-\d{4}\b/g]);
    expect(guard('first class assistant')).toBe('ok');
    expect(guard('what an ASS!')).toEqual({ block: 'matched word "ass"' });
    expect(guard('this is Top Secret stuff')).toEqual({ block: 'matched word "top secret"' });
    expect(guard('call 555-1234 now')).toEqual({ block: 'matched /\\b\\d{3}-\\d{4}\\b/g' });
    expect(guard('call 555-1234 now')).toEqual({ block: 'matched /\\b\\d{3}-\\d{4}\\b/g' });
    expect(guard('ünass')).toBe('ok');
  });

  it('blocks a listed word ending the text so far', () => {
    expect(wordListGuard(['damn'])('well, damn')).toEqual({ block: 'matched word "damn"' });
  });

  it('refuses an empty list or a bad entry, naming it', () => {
    expect(() => wordListGuard([])).toThrow(/patterns/);
    expect(() => wordListGuard(['ok', ' '])).toThrow(/patterns\[1\]/);
    expect(() => wordListGuard(['ok', 3 as never])).toThrow(/patterns\[1\]/);
  });
});
