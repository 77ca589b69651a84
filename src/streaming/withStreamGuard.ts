import { defer, map, of } from 'rxjs';
import { ModelError } from '../core/errors.js';
import type { StreamEvent, StreamingModel } from '../core/stream.js';
import { perStream } from './internal/perStream.js';
import { sameModelId, streamingModelId } from './internal/streamingModelId.js';

/** What a {@link StreamGuard} says of the text so far: let it through, or block it (the reason goes in the error). */
export type StreamGuardVerdict = 'ok' | { readonly block: string };

/** Sees the whole answer so far (every delta since the last `reset`) each time it grows. */
export type StreamGuard = (text: string) => StreamGuardVerdict;

/**
 * Checks a stream as it grows: each delta is shown to `guard` with the text
 * before it; when the guard blocks, the delta is withheld, the stream is
 * unsubscribed (its HTTP request aborted) and the request fails with a
 * `guardrail` ModelError (`source: 'stream-guard'`, the reason in `details`),
 * which no retry or fallback repeats. A guard that throws blocks too.
 *
 * ```text
 * withStreamGuard(a, wordListGuard(['secret']))
 * a:       -a-s-b(C|)    s: ' secret'      a's sub: ^--!
 * result:  -a-#          (guardrail; the consumer never sees 'secret')
 * ```
 *
 * @example
 * ```ts
 * const m = withStreamGuard(claude, (text) => (text.length > 20_000 ? { block: 'too long' } : 'ok'));
 * ```
 * @see wordListGuard
 */
export function withStreamGuard(model: StreamingModel, guard: StreamGuard): StreamingModel {
  if (typeof model !== 'function') throw new TypeError('withStreamGuard: model must be a StreamingModel (an operator function)');
  if (typeof guard !== 'function') throw new TypeError('withStreamGuard: guard must be a function (text) => "ok" | { block: reason }');
  const label = streamingModelId(model, 'withStreamGuard');

  return sameModelId(
    perStream((request) =>
      defer(() => {
        let text = '';
        const check = (candidate: string, modelId: string): void => {
          let verdict: StreamGuardVerdict;
          try {
            verdict = guard(candidate);
          } catch (cause) {
            verdict = { block: `guard failed: ${cause instanceof Error ? cause.message : String(cause)}` };
          }
          if (verdict === 'ok') return;
          throw new ModelError('guardrail', `${modelId}: stream blocked: ${verdict.block}`, { modelId, requestId: request.id, source: 'stream-guard', details: [verdict.block] });
        };
        return of(request).pipe(
          model,
          map((event: StreamEvent) => {
            if (event.type === 'reset') text = '';
            else if (event.type === 'delta') {
              check(text + event.text, event.modelId);
              text += event.text;
            } else if (event.response.text !== text) check(event.response.text, event.response.modelId ?? label);
            return event;
          }),
        );
      }),
    ),
    model,
  );
}
