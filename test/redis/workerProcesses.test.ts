import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createRedisClient, redisReady } from '../../src/redis/createRedisClient.js';
import { hasRedis, NO_REDIS, startRedisServer, type RedisServer } from '../support/redisServer.js';
import { runChild, type Child } from './fixtures/child.js';

const MODEL = 'amazon.nova-micro-v1:0';
const TOTAL = 2_000;
let server: RedisServer;
let emulator: Emulator;
let redis: Redis;
let dir: string;

const until = async (test: () => Promise<boolean>, what: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe.skipIf(!hasRedis)(hasRedis ? 'rx-bedrock worker processes on one Redis stream' : NO_REDIS, () => {
  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient(server.url);
    await redisReady(redis);
    emulator = await startEmulator({ models: { [MODEL]: { latency: { kind: 'fixed', ms: 15 } } } });
    dir = await mkdtemp(join(tmpdir(), 'rxb-workers-'));
  });
  afterAll(async () => {
    redis?.disconnect();
    await emulator?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('three workers consume 2,000 requests, one is SIGKILLed mid-run: every request ends with exactly one result', async () => {
    const config = join(dir, 'strategy.yaml');
    await writeFile(config, `strategy:\n  retry: { count: 2, model: ${MODEL} }\n`);
    const input = join(dir, 'requests.jsonl');
    await writeFile(input, Array.from({ length: TOTAL }, (_, i) => JSON.stringify(i % 2 ? { id: `q${i}`, prompt: `What is ${i} + 1?` } : { prompt: `What is ${i} + 1?` })).join('\n'));
    const worker = (name: string): Child =>
      runChild('cli.ts', [
        'worker', '--redis', server.url, '--config', config, '--emulator-endpoint', emulator.endpoint,
        '--consumer', name, '--concurrency', '8', '--visibility-timeout-ms', '2000', '--block-ms', '200',
      ]);
    const workers = [worker('w1'), worker('w2'), worker('w3')];
    await Promise.all(workers.map((w) => w.waitFor((l) => l.includes('reading rx-bedrock:requests'))));

    const enqueue = runChild('cli.ts', ['enqueue', '--redis', server.url, '--input', input]);
    expect(await enqueue.exited).toBe(0);
    expect(enqueue.stderr).toContain(`enqueued ${TOTAL} requests`);

    await until(async () => (await redis.hlen('rx-bedrock:requests:results')) >= 300, '300 results');
    const victim = workers[0]!;
    victim.process.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    const [, , , consumers] = (await redis.xpending('rx-bedrock:requests', 'rx-bedrock')) as [number, string, string, [string, string][] | null];
    const leftByVictim = Number(consumers?.find(([name]) => name === 'w1')?.[1] ?? 0);

    await until(async () => (await redis.hlen('rx-bedrock:requests:results')) === TOTAL, 'every result', 60_000);
    await until(async () => (await redis.xpending('rx-bedrock:requests', 'rx-bedrock'))[0] === 0, 'nothing pending');
    for (const w of workers.slice(1)) w.process.kill('SIGTERM');
    expect(await Promise.all(workers.slice(1).map((w) => w.exited))).toEqual([0, 0]);

    const output = join(dir, 'results.jsonl');
    const results = runChild('cli.ts', ['results', '--redis', server.url, '--output', output]);
    expect(await results.exited).toBe(0);
    const lines = (await readFile(output, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; ok: boolean; text: string });
    const ids = lines.map((l) => l.id);
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
    const expected = Array.from({ length: TOTAL }, (_, i) => (i % 2 ? `q${i}` : `line-${i + 1}`));
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(lines.every((l) => l.ok)).toBe(true);
    // The killed worker held entries when it died; the survivors claimed them after the visibility timeout.
    expect(leftByVictim).toBeGreaterThan(0);
    expect(workers.slice(1).some((w) => /stopped; \d+ results stored/.test(w.stderr))).toBe(true);
    expect(emulator.stats().models[MODEL]!.calls).toBeGreaterThanOrEqual(TOTAL);
  }, 90_000);
});
