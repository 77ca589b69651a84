/** How a retry delay is spread: AWS's "full" and "equal" jitter, or none. */
export type Jitter = 'full' | 'equal' | 'none';

/** Exponential backoff: `min(maxMs, initialMs * factor^(retry-1))`, then jittered. */
export interface BackoffConfig {
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly jitter: Jitter;
}

/** 100 ms, doubling, capped at 10 s, full jitter. */
export const DEFAULT_BACKOFF: BackoffConfig = { initialMs: 100, factor: 2, maxMs: 10_000, jitter: 'full' };

/** The delay before retry number `retry` (1-based), drawing jitter from `random` (values in `[0, 1)`). */
export type BackoffDelay = (retry: number, random: () => number) => number;

/**
 * A validated backoff: missing fields take {@link DEFAULT_BACKOFF}'s values.
 * Delays are whole milliseconds.
 *
 * ```text
 * { initialMs: 100, factor: 2, maxMs: 300, jitter: 'none' }  retries 1, 2, 3, 4 → 100, 200, 300, 300
 * jitter 'full'  → round(r * base)             (anywhere in [0, base])
 * jitter 'equal' → round(base/2 + r * base/2)  (in [base/2, base])
 * ```
 *
 * @example
 * ```ts
 * backoff({ initialMs: 50, jitter: 'none' })(3, Math.random); // 200
 * ```
 * @throws TypeError naming the bad option.
 */
export function backoff(config: Partial<BackoffConfig> = {}, option = 'backoff'): BackoffDelay {
  const { initialMs, factor, maxMs, jitter } = { ...DEFAULT_BACKOFF, ...config };
  const check = (name: string, value: number, min: number) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw new TypeError(`${option}.${name} must be a finite number ≥ ${min}, got ${String(value)}`);
    }
  };
  check('initialMs', initialMs, 0);
  check('factor', factor, 1);
  check('maxMs', maxMs, initialMs);
  if (jitter !== 'full' && jitter !== 'equal' && jitter !== 'none') {
    throw new TypeError(`${option}.jitter must be 'full', 'equal' or 'none', got ${String(jitter)}`);
  }
  return (retry, random) => {
    const base = Math.min(maxMs, initialMs * factor ** (retry - 1));
    if (jitter === 'none') return Math.round(base);
    const r = random();
    return Math.round(jitter === 'full' ? r * base : base / 2 + (r * base) / 2);
  };
}
