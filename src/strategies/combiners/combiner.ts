import type { Observable } from 'rxjs';
import type { InferenceRequest } from '../../core/request.js';
import { assistantMessage, NO_USAGE, type InferenceResponse } from '../../core/response.js';

/** Merges an ensemble's successful member responses (in arrival order) into one answer. */
export type CombineFn = (responses: readonly InferenceResponse[], request: InferenceRequest) => InferenceResponse | Observable<InferenceResponse>;

/**
 * How {@link ensemble} turns member answers into one. `key` tells which answers
 * agree (for `quorum`), `settled` when the rest cannot change the answer; `combine` may call a model (an Observable) as `judge` does.
 * The usage, price and attempts of a combined answer are only the combiner's own
 * work (none for `vote`, the judge's call for `judge`); the ensemble adds the members'.
 */
export interface Combiner {
  readonly name: string;
  key?(response: InferenceResponse): string;
  /**
   * True when `combine` would give the same answer whatever the `remaining`
   * members still to come answer, or if they fail; lets an ensemble with a
   * `quorum` cancel them before a quorum is met.
   */
  settled?(responses: readonly InferenceResponse[], remaining: number): boolean;
  combine: CombineFn;
}

/** A combined answer with `text` and `details`, costing nothing (the ensemble fills in the rest). */
export function combinedAnswer(request: InferenceRequest, name: string, text: string, details: Record<string, unknown>): InferenceResponse {
  return {
    requestId: request.id,
    modelId: name,
    text,
    message: assistantMessage(text),
    stopReason: 'end_turn',
    usage: NO_USAGE,
    latencyMs: 0,
    attempts: [],
    details,
  };
}
