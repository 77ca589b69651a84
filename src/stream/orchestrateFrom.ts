import { isObservable, type Observable } from 'rxjs';
import type { Model } from '../core/model.js';
import type { Outcome } from '../core/outcome.js';
import type { InferenceRequest, RequestInput } from '../core/request.js';
import { orchestrate } from './orchestrate.js';
import { resolveOrchestrateConfig, type OrchestrateConfig } from './orchestrateConfig.js';
import { outcomeOf } from './outcomeOf.js';
import { pool } from './poolInternals.js';

/** What {@link orchestrateFrom} reads requests from. */
export type RequestSource<T = InferenceRequest | RequestInput> = Iterable<T> | AsyncIterable<T> | Observable<T>;

/**
 * {@link orchestrate} with backpressure: arrays, iterables and async iterables
 * (a generator, a file's lines) are pulled lazily, one request each time a slot
 * frees, so memory holds only the requests in flight and the source's cost is
 * O(1) per request. An Observable is a push source and goes through
 * {@link orchestrate} (its O(1) queue bounded by `maxQueue`). Subscribing
 * starts from the source's current position; unsubscribing cancels every
 * request in flight and closes the iterator (`return()`).
 *
 * ```text
 * frame:     0     3     6     9        (concurrency 2, every answer takes 3 frames)
 * pulled:    a,b   c,d   e
 * outcomes:        A,B   C,D   E|
 * ```
 *
 * @example
 * ```ts
 * async function* requests() {
 *   for await (const line of createInterface({ input: createReadStream('requests.jsonl') })) yield JSON.parse(line);
 * }
 * orchestrateFrom(requests(), model, { concurrency: 64 }).subscribe(writeOutcome); // reads a line only when a slot frees
 * ```
 *
 * @param source the requests: an array, iterable, async iterable or Observable
 * @param model the model or strategy to run each request through
 * @param options `concurrency` (default 16), or an {@link OrchestrateConfig}
 * @returns a cold Observable of one Outcome per request
 * @see orchestrate
 */
export function orchestrateFrom(
  source: RequestSource,
  model: Model,
  options?: number | OrchestrateConfig,
): Observable<Outcome> {
  if (isObservable(source)) return source.pipe(orchestrate(model, options));
  if (typeof source === 'string' || typeof source !== 'object' || source === null) {
    throw new TypeError('orchestrateFrom: source must be an array, an iterable, an async iterable or an Observable');
  }
  const config = resolveOrchestrateConfig(options);
  const run = (input: InferenceRequest | RequestInput): Observable<Outcome> => outcomeOf(model, input, config);
  if (Symbol.asyncIterator in source) {
    return pool(() => ({ kind: 'pull-async', iterator: source[Symbol.asyncIterator]() }), run, config);
  }
  if (Symbol.iterator in source) {
    return pool(() => ({ kind: 'pull', iterator: source[Symbol.iterator]() }), run, config);
  }
  throw new TypeError('orchestrateFrom: source must be an array, an iterable, an async iterable or an Observable');
}
