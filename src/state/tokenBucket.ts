import type { TokenBucket } from './store.js';

/** A bucket's level at a time: `tokens` as of `at` (scheduler ms). */
export interface BucketLevel {
  readonly tokens: number;
  readonly at: number;
}

/** A full bucket at `now`. */
export function fullBucket(bucket: TokenBucket, now: number): BucketLevel {
  return { tokens: bucket.capacity, at: now };
}

/** The level at `now`: refilled linearly, `capacity` tokens per `refillMs`, never above capacity. */
export function refill(level: BucketLevel, bucket: TokenBucket, now: number): BucketLevel {
  if (now <= level.at) return level;
  const tokens = Math.min(bucket.capacity, level.tokens + ((now - level.at) * bucket.capacity) / bucket.refillMs);
  return { tokens, at: now };
}

/** Whole ms until a bucket at `level` holds `amount` tokens (0 if it already does). */
export function waitFor(level: BucketLevel, bucket: TokenBucket, amount: number): number {
  const missing = amount - level.tokens;
  // The epsilon absorbs float error, so 1 token at 2 per 60 s is exactly 30000 ms.
  return missing <= 0 ? 0 : Math.ceil((missing * bucket.refillMs) / bucket.capacity - 1e-9);
}
