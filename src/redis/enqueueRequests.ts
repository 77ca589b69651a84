import type { Redis } from 'ioredis';

/** One request to enqueue: its id and its JSON body. */
export interface QueuedRequest {
  readonly id: string;
  readonly request: unknown;
}

/**
 * Adds requests to a Redis stream (`XADD` with fields `id` and `request`),
 * `chunk` at a time in one pipeline each, pulling lazily from `requests` (a
 * large file is never held in memory). Resolves to how many were added.
 *
 * @example
 * ```ts
 * await enqueueRequests(redis, 'requests', [{ id: 'q1', request: { prompt: 'Hi' } }]);
 * ```
 */
export async function enqueueRequests(redis: Redis, stream: string, requests: Iterable<QueuedRequest> | AsyncIterable<QueuedRequest>, chunk = 500): Promise<number> {
  if (typeof stream !== 'string' || stream.length === 0) throw new TypeError('enqueueRequests: stream must be a non-empty string');
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw new TypeError(`enqueueRequests: chunk must be a positive integer, got ${String(chunk)}`);
  let added = 0;
  let pipeline = redis.pipeline();
  let pending = 0;
  const flush = async () => {
    if (pending === 0) return;
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed) throw failed[0]!;
    added += pending;
    pending = 0;
    pipeline = redis.pipeline();
  };
  for await (const { id, request } of requests) {
    pipeline.xadd(stream, '*', 'id', id, 'request', JSON.stringify(request));
    if (++pending >= chunk) await flush();
  }
  await flush();
  return added;
}
