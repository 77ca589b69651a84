import type { ModelError } from '../core/errors.js';
import type { Outcome } from '../core/outcome.js';
import type { Attempt, Usage } from '../core/response.js';

/**
 * How one request ended, as plain JSON: what `rx-bedrock run` writes per line
 * (plus the input `line`), what workers store and `rx-bedrock results` writes.
 */
export type ResultRecord =
  | {
      readonly id: string;
      readonly ok: true;
      readonly model: string;
      readonly text: string;
      readonly stopReason: string;
      readonly usage: Usage;
      readonly costUsd?: number;
      readonly latencyMs: number;
      readonly attempts: readonly Attempt[];
    }
  | {
      readonly id: string;
      readonly ok: false;
      readonly error: { readonly kind: string; readonly message: string; readonly details?: readonly string[] };
      readonly attempts: readonly Attempt[];
    };

/** The record of an outcome. */
export function resultRecord(id: string, outcome: Outcome): ResultRecord {
  if (outcome._tag === 'Left') return errorRecord(id, outcome.left);
  const r = outcome.right;
  return {
    id,
    ok: true,
    model: r.modelId,
    text: r.text,
    stopReason: r.stopReason,
    usage: r.usage,
    ...(r.costUsd === undefined ? {} : { costUsd: r.costUsd }),
    latencyMs: r.latencyMs,
    attempts: r.attempts,
  };
}

/** The record of a request that failed (or never reached a model). */
export function errorRecord(id: string, error: ModelError): ResultRecord {
  const { kind, message, details, attempts } = error;
  return { id, ok: false, error: { kind, message, ...(details ? { details } : {}) }, attempts: attempts ?? [] };
}
