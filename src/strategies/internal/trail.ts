import { ModelError } from '../../core/errors.js';
import type { Model } from '../../core/model.js';
import { addUsage, NO_USAGE, type Attempt, type InferenceResponse, type Usage } from '../../core/response.js';

/** The `modelId` a model advertises (scripted and Bedrock models do), or `label` for a bare operator. */
export function modelIdOf(model: Model, label: string): string {
  const id = (model as Model & { readonly modelId?: unknown }).modelId;
  return typeof id === 'string' ? id : label;
}

/** The attempts a failure stands for: the trail it already carries, or one failed attempt. */
export function failureTrail(error: ModelError, modelId: string, latencyMs: number): readonly Attempt[] {
  return error.attempts ?? [{ modelId: error.modelId ?? modelId, outcome: 'failure', errorKind: error.kind, latencyMs }];
}

/** An attempt the strategy cancelled (a lost hedge, a member past the quorum). */
export function cancelledAttempt(modelId: string, latencyMs: number): Attempt {
  return { modelId, outcome: 'cancelled', latencyMs };
}

/** `response` with `prior` attempts put before its own and its latency measured from the request's start. */
export function withTrail(response: InferenceResponse, prior: readonly Attempt[], latencyMs: number): InferenceResponse {
  return { ...response, attempts: prior.length === 0 ? response.attempts : [...prior, ...response.attempts], latencyMs };
}

/** A copy of `error` (same kind, message and flags) carrying the whole attempt trail. */
export function errorWithTrail(error: ModelError, attempts: readonly Attempt[]): ModelError {
  return new ModelError(error.kind, error.message, {
    ...(error.modelId === undefined ? {} : { modelId: error.modelId }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.source === undefined ? {} : { source: error.source }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.details === undefined ? {} : { details: error.details }),
    retriable: error.retriable,
    fallback: error.fallback,
    cause: error.cause ?? error,
    attempts,
  });
}

/** Usage and price summed over responses (price only when one of them knows it). */
export function totals(responses: readonly InferenceResponse[]): { usage: Usage; costUsd?: number } {
  const usage = responses.reduce((sum, r) => addUsage(sum, r.usage), NO_USAGE);
  const priced = responses.filter((r) => r.costUsd !== undefined);
  return priced.length === 0 ? { usage } : { usage, costUsd: priced.reduce((sum, r) => sum + r.costUsd!, 0) };
}
