import { catchError, concatMap, defer, first, from, map, of, throwError, type Observable, type SchedulerLike } from 'rxjs';
import { ModelError, toModelError } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import { callModel } from '../../core/modelCall.js';
import type { Model } from '../../core/model.js';
import type { InferenceRequest } from '../../core/request.js';
import type { Attempt, InferenceResponse } from '../../core/response.js';

/** A model to try, under the id the trail and events name it by. */
export interface Candidate {
  readonly id: string;
  readonly model: Model;
}

/** How one candidate's call ended, for strategies that learn from it. */
export type CandidateOutcome =
  | { readonly ok: true; readonly response: InferenceResponse; readonly latencyMs: number }
  | { readonly ok: false; readonly error: ModelError; readonly latencyMs: number };

/** Options of {@link tryInOrder}. */
export interface TryInOrderConfig {
  readonly scheduler: SchedulerLike;
  readonly events: EventBus;
  /** Names the strategy in the `all-failed` message. */
  readonly strategy: string;
  /** Called when a candidate answers or fails (not when cancelled). */
  readonly onOutcome?: (candidate: Candidate, outcome: CandidateOutcome) => void;
  /** Details to attach to the response (e.g. the tier it came from), given the winning candidate's index. */
  readonly details?: (index: number) => Readonly<Record<string, unknown>> | undefined;
}

/**
 * Tries `candidates` one after another (never two at once, no recursion:
 * `concatMap` over the list, stopped by `first`) until one answers. A failure
 * whose kind allows a fallback moves on, with a `fallback` event; any other
 * failure ends the request. The answer carries every failed attempt before its
 * own; when all fail, `all-failed` carries them all.
 *
 * ```text
 * candidates: a (fails at 2), b (answers at 3)
 * a:        --#
 * b:          ---r|
 * result:   -----(r|)   r.attempts = [a failure, b success]
 * ```
 */
export function tryInOrder(request: InferenceRequest, candidates: readonly Candidate[], config: TryInOrderConfig): Observable<InferenceResponse> {
  return defer(() => {
    const { scheduler, events } = config;
    const started = scheduler.now();
    const failed: Attempt[] = [];
    const errors: ModelError[] = [];
    return from(candidates.map((candidate, index) => ({ candidate, index }))).pipe(
      concatMap(({ candidate, index }) => {
        const at = scheduler.now();
        return defer(() => callModel(candidate.model, request)).pipe(
          map((response) => {
            config.onOutcome?.(candidate, { ok: true, response, latencyMs: scheduler.now() - at });
            return { response, index };
          }),
          catchError((raw: unknown) => {
            const error = toModelError(raw, { modelId: candidate.id, requestId: request.id });
            const latencyMs = scheduler.now() - at;
            config.onOutcome?.(candidate, { ok: false, error, latencyMs });
            failed.push(...(error.attempts ?? [{ modelId: error.modelId ?? candidate.id, outcome: 'failure', errorKind: error.kind, latencyMs }]));
            errors.push(error);
            if (!error.fallback) return throwError(() => error);
            const next = candidates[index + 1];
            if (next) events.emit({ type: 'fallback', time: scheduler.now(), requestId: request.id, from: candidate.id, to: next.id, reason: error.kind });
            return of(undefined);
          }),
        );
      }),
      first((won) => won !== undefined, undefined),
      map((won) => {
        if (won === undefined) throw allFailedError(config.strategy, request.id, failed, errors);
        const details = config.details?.(won.index);
        return {
          ...won.response,
          requestId: request.id,
          latencyMs: scheduler.now() - started,
          attempts: [...failed, ...won.response.attempts],
          ...(details ? { details: { ...won.response.details, ...details } } : {}),
        };
      }),
    );
  });
}

function allFailedError(strategy: string, requestId: string, attempts: readonly Attempt[], errors: readonly ModelError[]): ModelError {
  const summary = errors.map((e) => `${e.modelId ?? '?'}: ${e.kind}`).join(', ');
  return new ModelError('all-failed', `${strategy}: all ${errors.length} candidates failed${summary ? ` (${summary})` : ''}`, {
    requestId,
    attempts,
    retriable: errors.some((e) => e.retriable),
    fallback: errors.some((e) => e.fallback),
    ...(errors.length > 0 ? { cause: errors[errors.length - 1] } : {}),
  });
}
