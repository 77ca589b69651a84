import { Observable, type OperatorFunction } from 'rxjs';
import { callModel } from './modelCall.js';
import { toRequest, type InferenceRequest, type RequestInput } from './request.js';
import type { InferenceResponse } from './response.js';

/**
 * A model, or any strategy over models: for every request it receives it emits
 * exactly one response, or errors (with a `ModelError`) for that request.
 * Strategies take Models and return a Model, so they nest freely.
 */
export type Model = OperatorFunction<InferenceRequest, InferenceResponse>;

/** A Model that knows the model id it calls; strategies name attempts and events by it. */
export type NamedModel = Model & { readonly modelId: string };

/**
 * Runs one request through a model, lazily (nothing happens before the
 * subscription): `of(request).pipe(model)`, or the model's own call when it
 * has one (see `modelFromCall`). A string or a partial request is decoded
 * first; bad input errors with a `validation` ModelError.
 *
 * @example
 * ```ts
 * invoke(bedrock.model('amazon.nova-micro-v1:0'), 'Say hi').subscribe((r) => show(r.text));
 * ```
 */
export function invoke(model: Model, request: RequestInput | InferenceRequest): Observable<InferenceResponse> {
  return new Observable<InferenceResponse>((subscriber) => {
    callModel(model, toRequest(request)).subscribe(subscriber);
  });
}
