import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/core/errors.js';
import { invoke } from '../../../src/core/model.js';
import { requestText, toRequest } from '../../../src/core/request.js';
import { judge, judgePrompt } from '../../../src/strategies/combiners/judge.js';
import { ensemble } from '../../../src/strategies/ensemble.js';
import { modelTestScheduler, scriptedModel } from '../../../src/testing/index.js';

const req = toRequest({ id: 'r1', prompt: 'Name a colour' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));

describe('judge', () => {
  it("asks the judge after the members and adds its usage and attempt to the ensemble's", () => {
    const a = scriptedModel('a', [{ after: 1, reply: 'red', usage: { inputTokens: 1, outputTokens: 1 } }]);
    const b = scriptedModel('b', [{ after: 2, reply: 'blue', usage: { inputTokens: 2, outputTokens: 2 } }]);
    const j = scriptedModel('judge', [{ after: 3, reply: 'blue', usage: { inputTokens: 10, outputTokens: 1 } }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(ensemble([a, b], { combine: judge(j) }), req)).toBe('-----(r|)', {
        r: expect.objectContaining({
          modelId: 'ensemble(judge)', text: 'blue', usage: { inputTokens: 13, outputTokens: 4 },
          attempts: [expect.objectContaining({ modelId: 'a' }), expect.objectContaining({ modelId: 'b' }), { modelId: 'judge', outcome: 'success', latencyMs: 3 }],
          details: expect.objectContaining({ judge: 'judge', candidates: 2, combiner: 'judge' }),
        }),
      });
    });
    expect(j.calls[0]).toMatchObject({ subscribedAt: 2, request: expect.objectContaining({ id: 'r1' }) });
    const prompt = requestText(j.calls[0]!.request);
    expect(prompt).toContain('Name a colour');
    expect(prompt).toContain('[1] red');
    expect(prompt).toContain('[2] blue');
  });

  it('uses a custom prompt, and fails the ensemble when the judge fails', () => {
    const a = scriptedModel('a', [{ reply: 'red' }]);
    const j = scriptedModel('judge', [{ error: 'throttled' }]);
    let error: ModelError | undefined;
    invoke(ensemble([a], { combine: judge(j, { prompt: (_r, answers) => `pick: ${answers.map((x) => x.text).join('|')}` }) }), req).subscribe({ error: (e: ModelError) => (error = e) });
    expect(requestText(j.calls[0]!.request)).toBe('pick: red');
    expect(error).toMatchObject({ kind: 'throttled' });
    expect(error!.attempts!.map((x) => [x.modelId, x.outcome])).toEqual([['a', 'success'], ['judge', 'failure']]);
  });

  it('writes a default prompt and checks its options', () => {
    expect(judgePrompt(req, [])).toMatch(/^Several assistants/);
    expect(() => judge(1 as never)).toThrow(/judge: model/);
  });
});
