import { catchError, defer, map, of, throwError, timeout, type Observable, type SchedulerLike } from 'rxjs';
import { ModelError, toModelError } from '../../core/errors.js';
import { callModel } from '../../core/modelCall.js';
import type { Model } from '../../core/model.js';
import type { InferenceRequest } from '../../core/request.js';
import type { Attempt, InferenceResponse } from '../../core/response.js';
import { failureTrail, totals } from './trail.js';

/** How one ensemble member ended: its response, or its error, with its attempts. */
export interface Arrival {
  readonly index: number;
  readonly response?: InferenceResponse;
  readonly error?: ModelError;
  readonly attempts: readonly Attempt[];
}

/** Asks one member (within `timeoutMs` when given); a failure becomes an {@link Arrival}, never an error. */
export function askMember(
  member: { readonly index: number; readonly model: Model; readonly modelId: string },
  request: InferenceRequest,
  scheduler: SchedulerLike,
  timeoutMs: number | undefined,
): Observable<Arrival> {
  const { index, model, modelId } = member;
  const began = scheduler.now();
  const answer = defer(() => callModel(model, request));
  const bounded: Observable<InferenceResponse> =
    timeoutMs === undefined
      ? answer
      : answer.pipe(
          timeout({
            first: timeoutMs,
            scheduler,
            with: () => throwError(() => new ModelError('timeout', `${modelId}: no answer within ${timeoutMs} ms`, { modelId, requestId: request.id, source: 'ensemble' })),
          }),
        );
  return bounded.pipe(
    map((response): Arrival => ({ index, response, attempts: response.attempts })),
    catchError((raw: unknown) => {
      const error = toModelError(raw, { requestId: request.id });
      return of<Arrival>({ index, error, attempts: failureTrail(error, modelId, scheduler.now() - began) });
    }),
  );
}

/**
 * The ensemble's answer around the combiner's: the members' usage, price and
 * attempts added to the combiner's own (none when it returned a member's response).
 */
export function ensembleResponse(
  combined: InferenceResponse,
  arrivals: readonly Arrival[],
  trail: readonly Attempt[],
  info: { readonly requestId: string; readonly label: string; readonly combiner: string; readonly members: number; readonly latencyMs: number },
): InferenceResponse {
  const successes = arrivals.flatMap((a) => (a.response ? [a.response] : []));
  const own = successes.includes(combined) ? [] : [combined];
  const sum = totals([...successes, ...own]);
  const { costUsd: _combinerCost, ...answer } = combined;
  return {
    ...answer,
    requestId: info.requestId,
    modelId: info.label,
    usage: sum.usage,
    ...(sum.costUsd === undefined ? {} : { costUsd: sum.costUsd }),
    latencyMs: info.latencyMs,
    attempts: [...trail, ...own.flatMap((r) => r.attempts)],
    parts: [...arrivals].sort((x, y) => x.index - y.index).flatMap((a) => (a.response ? [a.response] : [])),
    details: { ...combined.details, combiner: info.combiner, members: info.members, answered: successes.length },
  };
}
