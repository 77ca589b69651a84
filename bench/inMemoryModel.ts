/**
 * The in-memory model of the overhead and memory scenarios: it answers every
 * request on the next microtask, and (like a Bedrock model operator) reports
 * `attempt-started` / `attempt-succeeded` on the bus it is given, so the
 * events and metrics of a real stack are part of what is measured.
 */
import { from } from 'rxjs';
import { assistantMessage, modelFromCall, type EventBus, type InferenceRequest, type InferenceResponse, type Model } from 'rx-bedrock';

/** A response like a model operator's, for `request`. */
export function answer(request: InferenceRequest, modelId: string): InferenceResponse {
  return {
    requestId: request.id,
    modelId,
    text: 'ok',
    message: assistantMessage('ok'),
    stopReason: 'end_turn',
    usage: { inputTokens: 3, outputTokens: 1 },
    latencyMs: 0,
    attempts: [],
  };
}

/** A Model answering on the next microtask (built like a Bedrock model operator, from its per-request call); with `events`, it reports each attempt there. */
export function inMemoryModel(modelId: string, events?: EventBus): Model {
  const usage = { inputTokens: 3, outputTokens: 1 };
  return modelFromCall((request) => {
    events?.emit({ type: 'attempt-started', time: 0, requestId: request.id, modelId, api: 'memory' });
    return from(
      Promise.resolve().then(() => {
        events?.emit({ type: 'attempt-succeeded', time: 0, requestId: request.id, modelId, latencyMs: 0, usage });
        return answer(request, modelId);
      }),
    );
  });
}

/** The same model as a plain async function, for the Promise-based libraries. */
export function inMemoryFunction(modelId: string): (request: InferenceRequest) => Promise<InferenceResponse> {
  return async (request) => {
    await undefined;
    return answer(request, modelId);
  };
}
