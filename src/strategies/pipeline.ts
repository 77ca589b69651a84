import type * as t from 'io-ts';
import { catchError, defer, mergeMap, of, throwError, type Observable, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { toModelError } from '../core/errors.js';
import type { Model } from '../core/model.js';
import { toRequest, type InferenceRequest, type RequestInput } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';
import { callModel, modelFromCall } from '../core/modelCall.js';
import { errorWithTrail, failureTrail, modelIdOf, totals } from './internal/trail.js';
import { withDecode } from './withDecode.js';

/** One step of a {@link pipeline}: a model, how to build its request, and what its answer must decode to. */
export interface PipelineStep {
  readonly model: Model;
  /** Builds this step's request; default: the previous answer's text as the user message (the first step gets the original). */
  readonly prepare?: (previous: InferenceResponse | undefined, original: InferenceRequest) => InferenceRequest | RequestInput;
  /** io-ts codec the answer must satisfy (see {@link withDecode}); the value lands in `details.decoded`. */
  readonly decode?: t.Decoder<unknown, unknown>;
  /** Shown in `details.steps`; default the model's id or `step N`. */
  readonly name?: string;
}

/** Options of {@link pipeline}. */
export interface PipelineConfig {
  readonly scheduler?: SchedulerLike;
}

/** The default `prepare`: the original request for the first step, then the previous answer as a fresh user turn. */
export function nextRequest(previous: InferenceResponse | undefined, original: InferenceRequest): InferenceRequest {
  if (previous === undefined) return original;
  return {
    id: original.id,
    messages: [{ role: 'user', content: [{ text: previous.text }] }],
    ...(original.inferenceConfig === undefined ? {} : { inferenceConfig: original.inferenceConfig }),
    ...(original.metadata === undefined ? {} : { metadata: original.metadata }),
  };
}

function asRequest(input: InferenceRequest | RequestInput, original: InferenceRequest): InferenceRequest {
  if (input === original) return original;
  if (typeof input === 'string') return toRequest({ id: original.id, prompt: input });
  return toRequest({ ...input, id: input.id ?? original.id });
}

/**
 * Runs models one after another, each step's request built from the previous
 * answer (`prepare`), each answer optionally checked by an io-ts codec.
 *
 * ```text
 * step 1:   --a|
 * step 2:     ---b|
 * pipeline: -----r|     r.text = b's text, r.parts = [a, b]
 * ```
 *
 * Emits the last step's answer as `modelId` `pipeline`, with `parts` = every
 * step's response, `details.steps` = their names, usage and price summed and
 * `attempts` concatenated; or the first failing step's error (an
 * `invalid-output` with the path report when a codec rejects an answer),
 * carrying the attempts so far. Wrap a step's model (`withRetry`, `fallback`)
 * with `withDecode` to repair bad output at that step.
 *
 * @example
 * ```ts
 * pipeline([
 *   { model: nova, name: 'extract', decode: Invoice, prepare: (_p, req) => ({ prompt: `JSON of: ${lastUserText(req)}` }) },
 *   { model: claude, name: 'summarise', prepare: (prev) => `Summarise ${JSON.stringify(prev!.details!.decoded)}` },
 * ]);
 * ```
 */
export function pipeline(steps: readonly (Model | PipelineStep)[], config: PipelineConfig = {}): Model {
  if (!Array.isArray(steps as unknown) || steps.length === 0) throw new TypeError('pipeline: steps must be a non-empty array');
  const normalized = steps.map((step, i) => {
    const s: PipelineStep = typeof step === 'function' ? { model: step } : step;
    if (typeof s?.model !== 'function') throw new TypeError(`pipeline: steps[${i}].model must be a Model (an operator function)`);
    if (s.prepare !== undefined && typeof s.prepare !== 'function') throw new TypeError(`pipeline: steps[${i}].prepare must be a function`);
    return {
      model: s.decode === undefined ? s.model : withDecode(s.model, s.decode),
      prepare: s.prepare ?? nextRequest,
      name: s.name ?? modelIdOf(s.model, `step ${i + 1}`),
    };
  });
  const scheduler = schedulerOf(config);

  return modelFromCall((request) => {
    const start = scheduler.now();
    const run = (i: number, parts: readonly InferenceResponse[]): Observable<InferenceResponse> => {
      const step = normalized[i]!;
      const began = scheduler.now();
      return defer(() => callModel(step.model, asRequest(step.prepare(parts[parts.length - 1], request), request))).pipe(
        catchError((raw: unknown) => {
          const error = toModelError(raw, { requestId: request.id });
          if (parts.length === 0) return throwError(() => error);
          return throwError(() => errorWithTrail(error, [...parts.flatMap((p) => p.attempts), ...failureTrail(error, step.name, scheduler.now() - began)]));
        }),
        mergeMap((response) => (i + 1 < normalized.length ? run(i + 1, [...parts, response]) : of(finish([...parts, response])))),
      );
    };
    const finish = (parts: readonly InferenceResponse[]): InferenceResponse => {
      const last = parts[parts.length - 1]!;
      const { costUsd: _last, ...answer } = last;
      const sum = totals(parts);
      return {
        ...answer,
        modelId: 'pipeline',
        usage: sum.usage,
        ...(sum.costUsd === undefined ? {} : { costUsd: sum.costUsd }),
        latencyMs: scheduler.now() - start,
        attempts: parts.flatMap((p) => p.attempts),
        parts,
        details: { ...last.details, steps: normalized.map((s) => s.name) },
      };
    };
    return run(0, []);
  });
}
