import { catchError, defer, from, mergeMap, tap, throwError } from 'rxjs';
import type { InferenceRequest } from '../core/request.js';
import type { StopReason, Usage } from '../core/response.js';
import type { StreamEvent, StreamingModel } from '../core/stream.js';
import type { AttemptReporter } from './attemptReporter.js';
import { completeUsage, type ModelDriver } from './modelDriver.js';

const failure = (name: string, message: string): Error => Object.assign(new Error(message), { name });

async function* streamEvents(
  driver: ModelDriver,
  reporter: AttemptReporter,
  request: InferenceRequest,
  started: number,
  signal: AbortSignal,
  settle: () => void,
): AsyncGenerator<StreamEvent> {
  const stream = await driver.open(request, signal);
  let text = '';
  let stopReason: StopReason | undefined;
  let usage: Partial<Usage> = {};
  for await (const chunk of stream) {
    if (chunk.text) {
      text += chunk.text;
      yield { type: 'delta', requestId: request.id, modelId: reporter.modelId, text: chunk.text };
    }
    if (chunk.stopReason !== undefined) stopReason = chunk.stopReason;
    if (chunk.usage !== undefined) usage = { ...usage, ...chunk.usage };
  }
  // The SDK ends an aborted (or server-reset) stream silently: neither is a success.
  if (signal.aborted) throw failure('AbortError', 'the stream was cancelled');
  if (stopReason === undefined) throw failure('StreamTruncated', 'the stream ended before the model finished');
  settle();
  yield { type: 'completed', response: reporter.succeed(request, started, { text, stopReason, usage: completeUsage(usage, request, text) }) };
}

/**
 * A {@link StreamingModel} over one driver: per request, a `delta` for every
 * text chunk, then one `completed` with the whole response (usage from the
 * stream's metadata). Requests run concurrently (`mergeMap`). Unsubscribing
 * mid-stream aborts the HTTP/2 stream, so the model stops generating and
 * billing; in-stream exceptions error like unary ones.
 *
 * ```text
 * requests:  --a---------|
 * stream:      [-d-d-d-C]
 * output:    ----d-d-d-C-|      d = delta, C = completed
 * ```
 */
export function bedrockStreamingModel(driver: ModelDriver, reporter: AttemptReporter): StreamingModel {
  return (source) =>
    source.pipe(
      mergeMap((request) =>
        defer(() => {
          const started = reporter.start(request);
          const controller = new AbortController();
          let settled = false;
          const settle = () => {
            settled = true;
          };
          return from(streamEvents(driver, reporter, request, started, controller.signal, settle)).pipe(
            catchError((error: unknown) => throwError(() => reporter.fail(request, started, error))),
            tap({
              // Only a consumer leaving before `completed` cancels (not one that takes it and leaves).
              unsubscribe: () => {
                if (settled) return;
                controller.abort();
                reporter.cancel(request, started);
              },
            }),
          );
        }),
      ),
    );
}
