import { expect } from 'vitest';
import { mergeMap, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { toRequest, type InferenceRequest } from '../../src/core/request.js';
import { assistantMessage, type InferenceResponse } from '../../src/core/response.js';
import type { StreamEvent, StreamingModel } from '../../src/core/stream.js';
import { modelTestScheduler } from '../../src/testing/index.js';

export const req = toRequest({ id: 'r1', prompt: 'hello there' });

/** A TestScheduler comparing ModelErrors by kind. */
export const testScheduler = (): TestScheduler => modelTestScheduler((a, e) => expect(a).toEqual(e));

export const delta = (text: string, modelId = 'a'): StreamEvent => ({ type: 'delta', requestId: 'r1', modelId, text });

export function response(text: string, modelId = 'a', latencyMs = 0): InferenceResponse {
  return {
    requestId: 'r1',
    modelId,
    text,
    message: assistantMessage(text),
    stopReason: 'end_turn',
    usage: { inputTokens: 3, outputTokens: text.length },
    latencyMs,
    attempts: [{ modelId, outcome: 'success', latencyMs }],
  };
}

export const completed = (text: string, modelId = 'a'): StreamEvent => ({ type: 'completed', response: response(text, modelId) });

/** A streaming model answering every request with `stream` (a cold observable), remembering the requests it got. */
export function coldModel(modelId: string, stream: Observable<StreamEvent>): StreamingModel & { modelId: string; requests: InferenceRequest[] } {
  const requests: InferenceRequest[] = [];
  const model = (source: Observable<InferenceRequest>) =>
    source.pipe(
      mergeMap((r) => {
        requests.push(r);
        return stream;
      }),
    );
  return Object.assign(model, { modelId, requests });
}
