import { isModelError, type ModelErrorKind } from '../../core/errors.js';

/** Kinds that say nothing about the model's health: the caller's input, our own guards, or a cancellation. */
const NOT_THE_MODELS_FAULT: ReadonlySet<ModelErrorKind> = new Set<ModelErrorKind>([
  'validation',
  'guardrail',
  'cancelled',
  'circuit-open',
  'budget-exceeded',
  'queue-full',
]);

/**
 * True when an error counts against the model that raised it (a circuit
 * breaker counts it, an adaptive score learns from it): anything but bad
 * input, guardrails, cancellations and local guards tripping. Errors that are
 * not ModelErrors count (a bug in a model is the model's fault).
 */
export function isModelFault(error: unknown): boolean {
  return !isModelError(error) || !NOT_THE_MODELS_FAULT.has(error.kind);
}
