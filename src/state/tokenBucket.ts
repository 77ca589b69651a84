import type { TokenBucket } from './store.js';

/** A bucket's level: `tokens` as of `at` (scheduler ms). Mutable: the in-memory store updates it in place. */
export interface BucketLevel {
  tokens: number;
  at: number;
}

/** A full bucket at `now`. */
export function fullBucket(bucket: TokenBucket, now: number): BucketLevel {
  return { tokens: bucket.capacity, at: now };
}

/** Brings `level` to `now`: refilled linearly, `capacity` tokens per `refillMs`, never above capacity (in place; answers `level`). */
export function refill(level: BucketLevel, bucket: TokenBucket, now: number): BucketLevel {
  if (now > level.at) {
    level.tokens = Math.min(bucket.capacity, level.tokens + ((now - level.at) * bucket.capacity) / bucket.refillMs);
    level.at = now;
  }
  return level;
}

/** Whole ms until a bucket at `level` holds `amount` tokens (0 if it already does). */
export function waitFor(level: BucketLevel, bucket: TokenBucket, amount: number): number {
  const missing = amount - level.tokens;
  // The epsilon absorbs float error, so 1 token at 2 per 60 s is exactly 30000 ms.
  return missing <= 0 ? 0 : Math.ceil((missing * bucket.refillMs) / bucket.capacity - 1e-9);
}
