import { defer, mergeMap, type Observable } from 'rxjs';
import type { Model } from '../../core/model.js';
import type { InferenceRequest } from '../../core/request.js';
import type { InferenceResponse } from '../../core/response.js';

/** A Model running `run` lazily and concurrently for every request it receives. */
export function perRequest(run: (request: InferenceRequest) => Observable<InferenceResponse>): Model {
  return (source) => source.pipe(mergeMap((request) => defer(() => run(request))));
}
