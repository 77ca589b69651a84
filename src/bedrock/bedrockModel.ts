import { catchError, defer, from, map, mergeMap, tap, throwError } from 'rxjs';
import type { Model } from '../core/model.js';
import type { AttemptReporter } from './attemptReporter.js';
import type { ModelDriver } from './modelDriver.js';

/**
 * A {@link Model} over one driver: each request is one `client.send`, run
 * concurrently with the others (`mergeMap`). Unsubscribing before the answer
 * aborts the HTTP request; an answer or an error never touches the
 * `AbortController` (aborting costs microseconds the success path should not pay).
 *
 * ```text
 * requests:  --a-------b------|
 * send:        [--A]     [----B]
 * output:    -----A-----------B|
 * ```
 *
 * Errors with a {@link ModelError} (see `classifyError`).
 */
export function bedrockModel(driver: ModelDriver, reporter: AttemptReporter): Model {
  return (source) =>
    source.pipe(
      mergeMap((request) =>
        defer(() => {
          const started = reporter.start(request);
          const controller = new AbortController();
          let settled = false;
          return from(driver.send(request, controller.signal)).pipe(
            map((result) => {
              settled = true;
              return reporter.succeed(request, started, result);
            }),
            catchError((error: unknown) => throwError(() => reporter.fail(request, started, error))),
            tap({
              // Only a consumer leaving before the answer cancels (not one that takes the answer and leaves).
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
