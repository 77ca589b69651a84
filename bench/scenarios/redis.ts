/**
 * Added latency per request of the Redis rate limiter against the in-memory
 * one: `withRateLimit` (rpm + tpm, so two buckets per take plus a settlement)
 * around a model that answers at once, one request at a time (so each number
 * is one request's own cost), against a `redis-server` started on a free
 * loopback port. Reported: p50/p99/mean of the time per request for no
 * limiter, the MemoryStore limiter and the RedisStore limiter, and the
 * limiters' cost over the bare model.
 *
 *   npm run bench -- redis
 *   REDIS_N=20000 npm run bench -- redis
 *
 * Skipped, with a message, when `redis-server` is not installed.
 */
import { performance } from 'node:perf_hooks';
import { firstValueFrom, map } from 'rxjs';
import { invoke, MemoryStore, withRateLimit, type InferenceRequest, type Model, type Store } from 'rx-bedrock';
import { createRedisClient, redisReady, RedisStore } from 'rx-bedrock/redis';
import { hasRedis, startRedisServer } from '../../test/support/redisServer.js';
import { load, type Scenario } from '../harness.js';
import { answer } from '../inMemoryModel.js';

const N = Number(process.env.REDIS_N ?? 5_000);
const WARMUP = 500;

const instant: Model = map((request: InferenceRequest) => answer(request, 'instant'));

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

export const redis: Scenario = {
  name: 'redis',
  title: 'Added latency of the Redis rate limiter vs the in-memory one',
  async run() {
    if (!hasRedis) return { lines: ['skipped: redis-server not installed (install it with `apt-get install redis-server`)'] };
    const server = await startRedisServer();
    const client = createRedisClient(server.url, { commandTimeoutMs: 1_000 });
    await redisReady(client);
    try {
      const bare = await measure(instant);
      const memory = await measure(limited(new MemoryStore(), 'bench-memory'));
      const shared = await measure(limited(new RedisStore({ redis: client, prefix: 'bench:', commandTimeoutMs: 1_000 }), 'bench-redis'));
      const row = (name: string, r: { p50: number; p99: number; mean: number }) =>
        `| ${name.padEnd(22)} | ${r.p50.toFixed(1).padStart(8)} | ${r.p99.toFixed(1).padStart(8)} | ${r.mean.toFixed(1).padStart(8)} |`;
      const added = (r: { p50: number; p99: number }) => `p50 +${(r.p50 - bare.p50).toFixed(1)} µs, p99 +${(r.p99 - bare.p99).toFixed(1)} µs`;
      return {
        lines: [
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
          `One run (a latency comparison, not a target). Load average: ${load()}.`,
        ],
      };
    } finally {
      client.disconnect();
      await server.stop();
    }
  },
};
