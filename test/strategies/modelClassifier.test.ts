import { describe, expect, it } from 'vitest';
import { of } from 'rxjs';
import { lastUserText, toRequest } from '../../src/core/request.js';
import { modelClassifier } from '../../src/strategies/modelClassifier.js';
import { route } from '../../src/strategies/route.js';
import { modelTestScheduler, scriptedModel, type ScriptStep } from '../../src/testing/index.js';

const labelFor = (step: ScriptStep) => {
  let label: string | undefined = 'unset';
  modelClassifier(scriptedModel('judge', [step]), ['code', 'math', 'chat'])(toRequest('2+2?')).subscribe((l) => (label = l));
  return label;
};

describe('modelClassifier', () => {
  it('reads the label from the answer, leniently', () => {
    expect(labelFor({ reply: 'math' })).toBe('math');
    expect(labelFor({ reply: ' "Math." ' })).toBe('math');
    expect(labelFor({ reply: 'The label is: code' })).toBe('code');
  });

  it('gives undefined for an unparseable answer or a failed call', () => {
    expect(labelFor({ reply: 'no idea' })).toBeUndefined();
    expect(labelFor({ error: 'throttled' })).toBeUndefined();
  });

  it('asks with the labels and the request text', () => {
    const m = scriptedModel('judge', [{ reply: 'chat' }]);
    modelClassifier(m, ['code', 'chat'])(toRequest({ id: 'r9', prompt: 'hello' })).subscribe();
    expect(m.calls[0]!.request.id).toBe('r9');
    expect(lastUserText(m.calls[0]!.request)).toMatch(/code, chat[\s\S]*hello/);
  });

  it('drives a route, an unparseable label taking the default, in virtual time', () => {
    const classifierModel = scriptedModel('cls', (r) => ({ after: 2, reply: lastUserText(r).includes('integral') ? 'math' : '???' }));
    const math = scriptedModel('math-model', [{ after: 1, reply: '42' }]);
    const chat = scriptedModel('chat-model', [{ after: 1, reply: 'hi' }]);
    const m = route({ classify: modelClassifier(classifierModel, ['math', 'chat']), routes: { math, chat }, default: 'chat' });
    modelTestScheduler((a, e) => expect(a).toEqual(e)).run(({ expectObservable }) => {
      expectObservable(m(of(toRequest('an integral please')))).toBe('---(r|)', { r: expect.objectContaining({ modelId: 'math-model' }) });
      expectObservable(m(of(toRequest('hello')))).toBe('---(r|)', { r: expect.objectContaining({ modelId: 'chat-model' }) });
    });
  });

  it('checks its options when created', () => {
    const m = scriptedModel('m', [{ reply: 'x' }]);
    expect(() => modelClassifier(m, [])).toThrow(/modelClassifier: labels/);
    expect(() => modelClassifier(1 as never, ['a'])).toThrow(/modelClassifier: model/);
  });
});

