import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError } from '../../src/core/errors.js';
import { invoke } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import { vote } from '../../src/strategies/combiners/vote.js';
import { ensemble } from '../../src/strategies/ensemble.js';
import { fallback } from '../../src/strategies/fallback.js';
import { hedge } from '../../src/strategies/hedge.js';
import { withRetry } from '../../src/strategies/withRetry.js';
import { withTimeout } from '../../src/strategies/withTimeout.js';
import { modelTestScheduler, scriptedModel, type ScriptStep } from '../../src/testing/index.js';
import { allEnded, exactlyOne, runRequests, stepArb } from './scriptArbitrary.js';

const req = toRequest({ id: 'r1', prompt: 'is the sky blue?' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const backoff = { initialMs: 10, factor: 2, maxMs: 1_000, jitter: 'none' } as const;

/** fallback(withRetry(ensemble([a, b, c], { combine: vote() }), { count: 2 }), d), built from scripts. */
function composed(a: readonly ScriptStep[], b: readonly ScriptStep[], c: readonly ScriptStep[]) {
  const members = [scriptedModel('a', a), scriptedModel('b', b), scriptedModel('c', c)];
  const d = scriptedModel('d', [{ after: 1, reply: 'from d' }]);
  const model = fallback(withRetry(ensemble(members, { combine: vote() }), { count: 2, backoff }), d);
  return { model, members, d };
}

describe('fallback(withRetry(ensemble([a, b, c], { combine: vote() }), { count: 2 }), d)', () => {
  it('retries the whole ensemble when every member failed, then votes', () => {
    const throttled: ScriptStep = { after: 1, error: 'throttled' };
    const { model, members, d } = composed(
      [throttled, { after: 1, reply: 'Yes' }],
      [throttled, { after: 2, reply: 'no' }],
      [throttled, { after: 3, reply: 'yes.' }],
    );
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(model, req)).toBe('14ms (r|)', {
        r: expect.objectContaining({
          modelId: 'ensemble(vote)', text: 'Yes', latencyMs: 14,
          attempts: [
            ...['a', 'b', 'c'].map((modelId) => ({ modelId, outcome: 'failure', errorKind: 'throttled', latencyMs: 1 })),
            { modelId: 'a', outcome: 'success', latencyMs: 1 },
            { modelId: 'b', outcome: 'success', latencyMs: 2 },
            { modelId: 'c', outcome: 'success', latencyMs: 3 },
          ],
        }),
      });
    });
    expect(members.map((m) => m.calls.map((x) => x.subscribedAt))).toEqual([[0, 11], [0, 11], [0, 11]]);
    expect(d.calls).toHaveLength(0);
  });

  it('falls back to d once the retries are spent, with all ten attempts', () => {
    const { model, d } = composed([{ after: 1, error: 'throttled' }], [{ after: 1, error: 'unavailable' }], [{ after: 1, error: 'timeout' }]);
    scheduler().run(({ expectObservable }) => {
      // tries at 0, 11 (after 10) and 32 (after 20), each failing 1 ms later; d answers 1 ms after 33
      expectObservable(invoke(model, req)).toBe('34ms (r|)', {
        r: expect.objectContaining({ modelId: 'd', text: 'from d', latencyMs: 34 }),
      });
    });
    let attempts: readonly unknown[] = [];
    scheduler().run(() => invoke(model, req).subscribe((r) => (attempts = r.attempts)));
    expect(attempts).toHaveLength(10);
    expect(attempts[9]).toEqual({ modelId: 'd', outcome: 'success', latencyMs: 1 });
    expect(d.calls[0]!.subscribedAt).toBe(33);
  });

  it('neither retries nor falls back when every member rejected the request', () => {
    const { model, members, d } = composed([{ after: 1, error: 'validation' }], [{ after: 1, error: 'validation' }], [{ after: 1, error: 'validation' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(model, req)).toBe('-#', undefined, new ModelError('all-failed', ''));
    });
    expect(members.map((m) => m.calls.length)).toEqual([1, 1, 1]);
    expect(d.calls).toHaveLength(0);
  });

  it('stays one outcome per request with no call left open, for any scripts, hangs included', () => {
    const script = fc.array(fc.oneof(stepArb, fc.constant<ScriptStep>({ hang: true })), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(script, script, script, script, fc.integer({ min: 1, max: 3 }), (sa, sb, sc, sd, n) => {
        const [a, b, c, d] = [scriptedModel('a', sa), scriptedModel('b', sb), scriptedModel('c', sc), scriptedModel('d', sd)];
        const model = fallback(
          withRetry(ensemble([a, b, hedge(c, { after: 2 })], { combine: vote(), quorum: 2, memberTimeoutMs: 6 }), { count: 2, backoff }),
          withTimeout(d, 5),
        );
        return runRequests(model, n).every(exactlyOne) && allEnded(a, b, c, d);
      }),
      { numRuns: 100 },
    );
  });
});
