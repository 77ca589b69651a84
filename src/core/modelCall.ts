import { mergeMap, of, throwError, type Observable } from 'rxjs';
import type { Model } from './model.js';
import type { InferenceRequest } from './request.js';
import type { InferenceResponse } from './response.js';

/**
 * What a model does for one request: an Observable of its one response (or
 * its error). It is called when the request is to run, and what it answers
 * is subscribed to once.
 */
export type ModelCall = (request: InferenceRequest) => Observable<InferenceResponse>;

/** Where a Model built by {@link modelFromCall} keeps its call. */
const CALL = Symbol('rx-bedrock.modelCall');

type ModelWithCall = Model & { [CALL]?: ModelCall };

/**
 * A Model that runs `call` for every request it receives, concurrently
 * (`mergeMap`). Strategies that wrap such a model run `call` directly for
 * each request, so a stack of wrappers costs one subscription per layer
 * instead of an operator chain per layer. The models and strategies of
 * rx-bedrock are built this way (all but `fastest`, which attaches its
 * learner per subscription).
 *
 * ```text
 * requests:  --a----b-------|
 * call(a):     ---A|
 * call(b):          --B|
 * model:     -----A---B-----|
 * ```
 *
 * @example
 * ```ts
 * const echo = modelFromCall((request) => of({ ...answerTo(request) }));
 * ```
 */
export function modelFromCall(call: ModelCall): Model {
  if (typeof call !== 'function') throw new TypeError('modelFromCall: call must be a function (request) => Observable');
  const model: ModelWithCall = (source) => source.pipe(mergeMap(call));
  model[CALL] = call;
  return model;
}

/**
 * One request through `model`, as an Observable to subscribe to at once:
 * the model's own call when it has one, `of(request).pipe(model)` for any
 * other operator. A model that throws while being applied gives an
 * Observable of that error.
 */
export function callModel(model: Model, request: InferenceRequest): Observable<InferenceResponse> {
  try {
    const call = (model as ModelWithCall)[CALL];
    return call === undefined ? of(request).pipe(model) : call(request);
  } catch (error) {
    return throwError(() => error);
  }
}
