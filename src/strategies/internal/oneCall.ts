import { of, throwError, type Observable } from 'rxjs';
import type { Model } from '../../core/model.js';
import type { InferenceRequest } from '../../core/request.js';
import type { InferenceResponse } from '../../core/response.js';

/** `of(request).pipe(model)`, with a model that throws while being applied turned into an error of the call. */
export function oneCall(model: Model, request: InferenceRequest): Observable<InferenceResponse> {
  try {
    return of(request).pipe(model);
  } catch (error) {
    return throwError(() => error);
  }
}
