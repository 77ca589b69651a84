import { isLeft } from 'fp-ts/lib/Either.js';
import type { Outcome } from '../core/outcome.js';

/**
 * One request's result as a JSON line, in the shape `rx-bedrock run` writes
 * (without its `line` number): `{"id","ok":true,"model","text","stopReason",
 * "usage","costUsd"?,"latencyMs","attempts"}` or `{"id","ok":false,
 * "error":{"kind","message","details"?},"attempts"}`. This is what workers
 * store and `rx-bedrock results` writes.
 */
export function resultLine(requestId: string, outcome: Outcome): string {
  if (isLeft(outcome)) {
    const { kind, message, details, attempts } = outcome.left;
    return JSON.stringify({ id: requestId, ok: false, error: { kind, message, ...(details ? { details } : {}) }, attempts: attempts ?? [] });
  }
  const r = outcome.right;
  return JSON.stringify({
    id: requestId,
    ok: true,
    model: r.modelId,
    text: r.text,
    stopReason: r.stopReason,
    usage: r.usage,
    ...(r.costUsd === undefined ? {} : { costUsd: r.costUsd }),
    latencyMs: r.latencyMs,
    attempts: r.attempts,
  });
}
