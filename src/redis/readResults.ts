import type { Redis } from 'ioredis';

/**
 * Every stored result of a results hash, as JSON lines, read lazily with
 * `HSCAN` (`count` per round trip), so a large hash is never loaded at once.
 * A result may come twice if the hash changes during the scan (`HSCAN`'s
 * guarantee); every stored result comes at least once.
 *
 * @example
 * ```ts
 * for await (const line of readResults(redis, 'requests:results')) out.write(`${line}\n`);
 * ```
 */
export async function* readResults(redis: Redis, results: string, count = 500): AsyncGenerator<string> {
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(results, cursor, 'COUNT', count);
    for (let i = 1; i < flat.length; i += 2) yield flat[i]!;
    cursor = next;
  } while (cursor !== '0');
}
