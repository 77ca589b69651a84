import { configure } from 'rxjs-marbles';
import { expect } from 'vitest';
import { normalizeModelErrors } from './matchers.js';

/**
 * rxjs-marbles' `marbles`, configured for vitest (its generic entry, so vitest
 * globals are not needed) with ModelErrors compared by kind.
 *
 * @example
 * ```ts
 * it('falls back', marbles((m) => {
 *   m.expect(invoke(fallback(a, b), 'hi')).toBe('---(r|)', { r: expect.objectContaining({ modelId: 'b' }) });
 * }));
 * ```
 */
export const { marbles } = configure({
  run: true,
  frameworkMatcher: true,
  assertDeepEqual: (actual: unknown, expected: unknown) => expect(normalizeModelErrors(actual)).toEqual(normalizeModelErrors(expected)),
});
