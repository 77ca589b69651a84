import { defer, mergeMap, type Observable } from 'rxjs';
import type { InferenceRequest } from '../../core/request.js';
import type { StreamEvent, StreamingModel } from '../../core/stream.js';

/** A StreamingModel running `run` lazily and concurrently for every request it receives. */
export function perStream(run: (request: InferenceRequest) => Observable<StreamEvent>): StreamingModel {
  return (source) => source.pipe(mergeMap((request) => defer(() => run(request))));
}
