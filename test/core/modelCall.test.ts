import { describe, expect, it } from 'vitest';
import { firstValueFrom, from, map, mergeMap, of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { invoke, type Model } from '../../src/core/model.js';
import { callModel, modelFromCall } from '../../src/core/modelCall.js';
import { toRequest, type InferenceRequest } from '../../src/core/request.js';
import { assistantMessage, type InferenceResponse } from '../../src/core/response.js';

const answer = (request: InferenceRequest, text: string): InferenceResponse => ({
  requestId: request.id,
  modelId: 'm',
  text,
  message: assistantMessage(text),
  stopReason: 'end_turn',
  usage: { inputTokens: 1, outputTokens: 1 },
  latencyMs: 0,
  attempts: [],
});

describe('modelFromCall', () => {
  it('runs the call for every request of a stream, concurrently', () => {
    new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ cold, expectObservable, expectSubscriptions }) => {
      const calls = { a: cold('---(r|)', { r: 'A' }), b: cold('--(r|)', { r: 'B' }) };
      const model = modelFromCall((request) => calls[request.id as 'a' | 'b'].pipe(map((text) => answer(request, text))));
      const requests = cold('-a-b-|', { a: toRequest({ id: 'a', prompt: 'x' }), b: toRequest({ id: 'b', prompt: 'y' }) });
      expectObservable(requests.pipe(model, map((r) => r.text))).toBe('----x(y|)', { x: 'A', y: 'B' });
      expectSubscriptions(calls.a.subscriptions).toBe('-^--!');
      expectSubscriptions(calls.b.subscriptions).toBe('---^-!');
    });
  });

  it('rejects a call that is not a function', () => {
    expect(() => modelFromCall(42 as unknown as () => Observable<InferenceResponse>)).toThrow(/call must be a function/);
  });
});

describe('callModel', () => {
  const request = toRequest({ id: 'r1', prompt: 'hi' });

  it("uses a model's own call, skipping the operator", async () => {
    let operatorUsed = false;
    const model = modelFromCall((r) => of(answer(r, 'direct')));
    const spy: Model = (source) => ((operatorUsed = true), model(source));
    expect(await firstValueFrom(callModel(model, request))).toMatchObject({ text: 'direct', requestId: 'r1' });
    expect(await firstValueFrom(callModel(spy, request))).toMatchObject({ text: 'direct' });
    expect(operatorUsed).toBe(true);
  });

  it('runs any other operator on the request alone', async () => {
    const operator: Model = mergeMap((r: InferenceRequest) => from(Promise.resolve(answer(r, 'piped'))));
    expect(await firstValueFrom(callModel(operator, request))).toMatchObject({ text: 'piped' });
  });

  it('turns a model that throws into an error of the call', async () => {
    const broken: Model = () => {
      throw new Error('bad model');
    };
    const throwingCall = modelFromCall(() => {
      throw new Error('bad call');
    });
    await expect(firstValueFrom(callModel(broken, request))).rejects.toThrow('bad model');
    await expect(firstValueFrom(callModel(throwingCall, request))).rejects.toThrow('bad call');
  });
});

describe('invoke over a model from a call', () => {
  it('does nothing before the subscription and decodes then', async () => {
    let calls = 0;
    const model = modelFromCall((r) => (calls++, of(answer(r, 'ok'))));
    const pending = invoke(model, 'hello');
    expect(calls).toBe(0);
    expect((await firstValueFrom(pending)).text).toBe('ok');
    expect(calls).toBe(1);
    await expect(firstValueFrom(invoke(model, { prompt: 'x', messages: [] }))).rejects.toMatchObject({ kind: 'validation' });
    expect(calls).toBe(1);
  });
});
