/**
 * Added latency per request of the Redis rate limiter against the in-memory
 * one: `withRateLimit` (rpm + tpm, so two buckets per take plus a settlement)
 * around a model that answers at once, one request at a time (so each number
 * is one request's own cost), against a `redis-server` started on a free
 * loopback port. Reported: p50/p99/mean of the time per request for no
 * limiter, the MemoryStore limiter and the RedisStore limiter, and the
 * limiters' cost over the bare model.
 *
 *   npx tsx bench/redisRateLimit.ts
 *   N=20000 npx tsx bench/redisRateLimit.ts
 */
import { performance } from 'node:perf_hooks';
import { firstValueFrom, map } from 'rxjs';
import { assistantMessage, invoke, type InferenceRequest, type InferenceResponse, type Model } from '../src/core/index.js';
import { createRedisClient, redisReady } from '../src/redis/createRedisClient.js';
import { RedisStore } from '../src/redis/redisStore.js';
import { MemoryStore } from '../src/state/memoryStore.js';
import type { Store } from '../src/state/store.js';
import { withRateLimit } from '../src/strategies/withRateLimit.js';
import { hasRedis, startRedisServer } from '../test/support/redisServer.js';

const N = Number(process.env.N ?? 5_000);
const WARMUP = 500;

const instant: Model = map(
  (request: InferenceRequest): InferenceResponse => ({
    requestId: request.id,
    modelId: 'instant',
    text: 'ok',
    message: assistantMessage('ok'),
    stopReason: 'end_turn',
    usage: { inputTokens: 3, outputTokens: 1 },
    latencyMs: 0,
    attempts: [],
  }),
);

const limited = (store: Store, key: string): Model =>
  withRateLimit(instant, { rpm: 100_000_000, tpm: 1_000_000_000, mode: 'wait', store, key });

async function measure(model: Model): Promise<{ p50: number; p99: number; mean: number }> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + N; i++) {
    const start = performance.now();
    await firstValueFrom(invoke(model, { id: `r${i}`, prompt: 'hello', inferenceConfig: { maxTokens: 16 } }));
    if (i >= WARMUP) times.push((performance.now() - start) * 1000);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: times.reduce((s, t) => s + t, 0) / times.length };
}

if (!hasRedis) {
  process.stderr.write('redis-server not installed: install it with `apt-get install redis-server`\n');
  process.exit(2);
}
const server = await startRedisServer();
const redis = createRedisClient(server.url, { commandTimeoutMs: 1_000 });
await redisReady(redis);
try {
  const bare = await measure(instant);
  const memory = await measure(limited(new MemoryStore(), 'bench-memory'));
  const shared = await measure(limited(new RedisStore({ redis, prefix: 'bench:', commandTimeoutMs: 1_000 }), 'bench-redis'));
  const row = (name: string, r: { p50: number; p99: number; mean: number }) =>
    `| ${name.padEnd(22)} | ${r.p50.toFixed(1).padStart(8)} | ${r.p99.toFixed(1).padStart(8)} | ${r.mean.toFixed(1).padStart(8)} |`;
  const added = (r: { p50: number; p99: number }) => `p50 +${(r.p50 - bare.p50).toFixed(1)} µs, p99 +${(r.p99 - bare.p99).toFixed(1)} µs`;
  process.stdout.write(
    [
      `withRateLimit (rpm + tpm, wait mode), ${N} sequential requests on an instant model, Node ${process.version}`,
      '',
      '| limiter                | p50 (µs) | p99 (µs) | mean (µs) |',
      '|------------------------|---------:|---------:|----------:|',
      row('none', bare),
      row('MemoryStore', memory),
      row('RedisStore (loopback)', shared),
      '',
      `added by MemoryStore: ${added(memory)}`,
      `added by RedisStore:  ${added(shared)}`,
      '',
    ].join('\n'),
  );
} finally {
  redis.disconnect();
  await server.stop();
}
