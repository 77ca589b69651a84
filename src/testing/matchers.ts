import { TestScheduler } from 'rxjs/testing';
import { isModelError, type ModelErrorKind } from '../core/errors.js';

/**
 * An asymmetric matcher (for vitest/jest `toEqual`) that accepts any
 * `ModelError` of the given kind: `expect(err).toEqual(modelErrorOfKind('timeout'))`.
 */
export function modelErrorOfKind(kind: ModelErrorKind): { asymmetricMatch(actual: unknown): boolean; toString(): string } {
  return {
    asymmetricMatch: (actual) => isModelError(actual, kind),
    toString: () => `ModelError<${kind}>`,
  };
}

/** Replaces every ModelError inside a value with `{ ModelError: kind }`, so errors compare by kind. */
export function normalizeModelErrors(value: unknown): unknown {
  if (isModelError(value)) return { ModelError: value.kind };
  if (Array.isArray(value)) return value.map(normalizeModelErrors);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeModelErrors(v)]));
  }
  return value;
}

/**
 * A `TestScheduler` whose assertion compares ModelErrors by kind, so
 * `expectObservable(x).toBe('--#', undefined, new ModelError('timeout', ''))` holds for any timeout.
 *
 * @param assertDeepEqual your framework's deep equality, e.g. `(a, e) => expect(a).toEqual(e)`.
 */
export function modelTestScheduler(assertDeepEqual: (actual: unknown, expected: unknown) => void): TestScheduler {
  return new TestScheduler((actual, expected) => assertDeepEqual(normalizeModelErrors(actual), normalizeModelErrors(expected)));
}
