import { ModelError } from '../../core/errors.js';
import type { Attempt } from '../../core/response.js';

/**
 * The `all-failed` error of a multi-model strategy: every attempt made, and
 * `retriable`/`fallback` set when any underlying error was, so a retry or a
 * fallback around the strategy still works.
 */
export function allFailed(strategy: string, requestId: string, attempts: readonly Attempt[], errors: readonly ModelError[], why?: string): ModelError {
  const summary = errors.map((e) => (e.modelId === undefined ? e.kind : `${e.modelId}: ${e.kind}`)).join(', ');
  return new ModelError('all-failed', `${strategy}: ${why ?? `all ${errors.length} attempts failed`}${summary ? ` (${summary})` : ''}`, {
    requestId,
    attempts,
    retriable: errors.some((e) => e.retriable),
    fallback: errors.some((e) => e.fallback),
    ...(errors.length > 0 ? { cause: errors[errors.length - 1] } : {}),
  });
}
