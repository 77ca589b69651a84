import type { StreamGuard } from './withStreamGuard.js';

const WORD_CHAR = '[\\p{L}\\p{N}_]';

/**
 * A {@link StreamGuard} that blocks text containing any of `patterns`: a
 * string matches as a whole word, ignoring case (`'ass'` blocks "Ass!" but
 * not "class"); a RegExp matches as written (its `g`/`y` flags are ignored).
 * A listed word at the very end of the text so far blocks at once, even if
 * the next delta would have made it part of a longer word: the consumer must
 * never see it first. The block reason names the pattern that matched.
 *
 * @example
 * ```ts
 * withStreamGuard(model, wordListGuard(['password', /\b\d{3}-\d{2}-\d{4}\b/]));
 * ```
 */
export function wordListGuard(patterns: readonly (string | RegExp)[]): StreamGuard {
  if (!Array.isArray(patterns) || patterns.length === 0) throw new TypeError('wordListGuard: patterns must be a non-empty array of words or RegExps');
  const checks = patterns.map((p, i): { readonly regex: RegExp; readonly name: string } => {
    if (p instanceof RegExp) return { regex: new RegExp(p.source, p.flags.replace(/[gy]/g, '')), name: String(p) };
    if (typeof p !== 'string' || p.trim() === '') throw new TypeError(`wordListGuard: patterns[${i}] must be a non-empty string or a RegExp`);
    const escaped = p.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return { regex: new RegExp(`(?<!${WORD_CHAR})${escaped}(?!${WORD_CHAR})`, 'iu'), name: `word "${p.trim()}"` };
  });
  return (text) => {
    for (const { regex, name } of checks) if (regex.test(text)) return { block: `matched ${name}` };
    return 'ok';
  };
}
