import type { Outcome } from '../core/outcome.js';
import type { ModelError } from '../core/errors.js';
import type { Attempt, Usage } from '../core/response.js';

/** One line of `rx-bedrock run` output: how one input line ended. */
export type ResultRecord =
  | {
      readonly id: string;
      readonly line: number;
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
      readonly line: number;
      readonly ok: false;
      readonly error: { readonly kind: string; readonly message: string; readonly details?: readonly string[] };
      readonly attempts: readonly Attempt[];
    };

/** The record of an input line that never reached a model (not JSON, too long, not a request). */
export function rejectedRecord(id: string, line: number, error: ModelError): ResultRecord {
  return { id, line, ok: false, error: errorView(error), attempts: [] };
}

/** The record of an orchestrated request. */
export function outcomeRecord(outcome: Outcome, id: string, line: number): ResultRecord {
  if (outcome._tag === 'Left') return { id, line, ok: false, error: errorView(outcome.left), attempts: outcome.left.attempts ?? [] };
  const r = outcome.right;
  return {
    id,
    line,
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

function errorView(error: ModelError): { kind: string; message: string; details?: readonly string[] } {
  return { kind: error.kind, message: error.message, ...(error.details ? { details: error.details } : {}) };
}
