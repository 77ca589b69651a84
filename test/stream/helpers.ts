import { isRight } from 'fp-ts/lib/Either.js';
import { assistantMessage, type InferenceRequest, type InferenceResponse, type Outcome } from '../../src/core/index.js';

/** A request with this id and its id as the prompt. */
export function request(id: string): InferenceRequest {
  return { id, messages: [{ role: 'user', content: [{ text: `prompt ${id}` }] }] };
}

/** The response a test model gives to `req`. */
export function response(req: InferenceRequest, modelId = 'm1'): InferenceResponse {
  return {
    requestId: req.id,
    modelId,
    text: `answer ${req.id}`,
    message: assistantMessage(`answer ${req.id}`),
    stopReason: 'end_turn',
    usage: { inputTokens: 3, outputTokens: 5 },
    latencyMs: 0,
    costUsd: 0.25,
    attempts: [],
  };
}

/** An outcome as a short string for marble value maps: `R:id` or `L:kind:id`. */
export function summary(outcome: Outcome): string {
  return isRight(outcome) ? `R:${outcome.right.requestId}` : `L:${outcome.left.kind}:${outcome.left.requestId ?? '?'}`;
}
