const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/i;
const ONLY_NUMBER = new RegExp(`^${NUMBER.source}$`, 'i');

/** The first number written in `text` (`"about 42.5 km"` → 42.5), if any. */
export function firstNumber(text: string): number | undefined {
  const match = NUMBER.exec(text.replace(/(\d),(?=\d{3}\b)/g, '$1'));
  return match ? Number(match[0]) : undefined;
}

/** `text` as a number when it is nothing but one (trailing punctuation allowed): `" 3.5. "` → 3.5. */
export function wholeNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/[.!?,;:]+$/, '');
  return ONLY_NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

/** A float rounded to 12 significant digits, so `0.1 + 0.2` reads `0.3`. */
export function tidy(value: number): number {
  return Number(value.toPrecision(12));
}
