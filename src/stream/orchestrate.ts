import type { OperatorFunction } from 'rxjs';
import type { Model } from '../core/model.js';
import type { Outcome } from '../core/outcome.js';
import type { InferenceRequest, RequestInput } from '../core/request.js';
import { resolveOrchestrateConfig, type OrchestrateConfig } from './orchestrateConfig.js';
import { outcomeOf, rejectedOutcome } from './outcomeOf.js';
import { pool } from './poolInternals.js';

/**
 * Runs a stream of requests through `model`, at most `concurrency` at a time,
 * turning every request into exactly one {@link Outcome}: a Right response, or
 * a Left `ModelError` carrying the request id (bad input is a `validation`
 * Left; a model that throws, errors or completes empty is a Left too). A
 * failure never ends the output stream; unsubscribing cancels every request
 * in flight.
 *
 * Requests arriving while every slot is busy wait in an O(1) queue of at most
 * `maxQueue`; past it each gets a `queue-full` Left at once. For arrays,
 * iterables and async iterables use {@link orchestrateFrom}, which pulls the
 * next request only when a slot frees (no queue at all).
 *
 * With `events`, each request emits `request-started` when it leaves the queue
 * and `request-completed` (ok, errorKind, latencyMs, usage, costUsd, modelId,
 * strategy) when its outcome is known, both timed by `scheduler`; a request
 * cancelled by unsubscription completes with `errorKind: 'cancelled'`.
 *
 * ```text
 * requests: abcd|              (concurrency 2, every answer takes 4 frames)
 * outcomes: ----AB--C(D|)      (c and d wait in the queue for a free slot)
 * ```
 *
 * @example
 * ```ts
 * from(prompts).pipe(orchestrate(fallback([nova, claude]), { concurrency: 32, deadlineMs: 30_000 }))
 *   .subscribe((o) => (isRight(o) ? print(o.right.text) : report(o.left.requestId, o.left.kind)));
 * ```
 *
 * @param model the model or strategy to run each request through
 * @param options `concurrency` (default 16), or an {@link OrchestrateConfig}
 * @returns an operator from requests to outcomes
 * @see orchestrateFrom
 */
export function orchestrate(
  model: Model,
  options?: number | OrchestrateConfig,
): OperatorFunction<InferenceRequest | RequestInput, Outcome> {
  const config = resolveOrchestrateConfig(options);
  const reject = (input: unknown): Outcome =>
    rejectedOutcome(input, 'queue-full', `request queue is full (maxQueue ${config.maxQueue})`, config);
  return (requests$) =>
    pool(() => ({ kind: 'push', source: requests$, maxQueue: config.maxQueue, reject }), (input) => outcomeOf(model, input, config), config);
}
