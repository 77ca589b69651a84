import { filter, map, mergeMap, of, throwIfEmpty } from 'rxjs';
import { ModelError } from '../core/errors.js';
import type { Model } from '../core/model.js';
import type { StreamEvent, StreamingModel } from '../core/stream.js';

/**
 * A streaming model as a plain {@link Model}: each request runs through
 * `streaming` on its own, its deltas are dropped and its `completed` response
 * is the answer. Lets every strategy use a streaming model (the answer is the
 * same; the HTTP call is ConverseStream / InvokeModelWithResponseStream).
 *
 * ```text
 * requests:  --a-----------|
 * streaming:   -d-d-C|
 * output:    -------A------|
 * ```
 *
 * Errors with the stream's {@link ModelError}, or `invalid-output` if a
 * stream ends without `completed`. Unsubscribing unsubscribes the stream (which cancels it).
 */
export function collect(streaming: StreamingModel): Model {
  return (source) =>
    source.pipe(
      mergeMap((request) =>
        of(request).pipe(
          streaming,
          filter((event): event is Extract<StreamEvent, { type: 'completed' }> => event.type === 'completed'),
          map((event) => event.response),
          throwIfEmpty(() => new ModelError('invalid-output', 'the stream ended without a completed response', { requestId: request.id })),
        ),
      ),
    );
}
