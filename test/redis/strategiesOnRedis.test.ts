import type { Redis } from 'ioredis';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke, isModelError } from '../../src/core/index.js';
import { createRedisClient, redisReady } from '../../src/redis/createRedisClient.js';
import { RedisStore } from '../../src/redis/redisStore.js';
import { withCache } from '../../src/strategies/withCache.js';
import { withRateLimit } from '../../src/strategies/withRateLimit.js';
import { scriptedModel } from '../../src/testing/scriptedModel.js';
import { hasRedis, NO_REDIS, startRedisServer, type RedisServer } from '../support/redisServer.js';

let server: RedisServer;
const clients: Redis[] = [];
/** A store per simulated instance, each on its own connection, all sharing one prefix. */
const instances = (n: number, prefix: string) =>
  Array.from({ length: n }, () => {
    const redis = createRedisClient(server.url);
    clients.push(redis);
    return new RedisStore({ redis, prefix });
  });

describe.skipIf(!hasRedis)(hasRedis ? 'strategies sharing a RedisStore' : NO_REDIS, () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });

  it('withCache: an answer cached by one instance is a hit for another, whose model is not called', async () => {
    const [a, b] = instances(2, 'cache:');
    await Promise.all(clients.map((c) => redisReady(c)));
    const modelA = scriptedModel('m', [{ reply: 'forty-two' }]);
    const modelB = scriptedModel('m', [{ reply: 'never' }]);
    const first = await firstValueFrom(invoke(withCache(modelA, { ttlMs: 60_000, store: a!, namespace: 'answers' }), { id: 'r1', prompt: 'question' }));
    const second = await firstValueFrom(invoke(withCache(modelB, { ttlMs: 60_000, store: b!, namespace: 'answers' }), { id: 'r2', prompt: 'question' }));
    expect(first.text).toBe('forty-two');
    expect(second).toMatchObject({ text: 'forty-two', requestId: 'r2', details: { cache: 'hit' } });
    expect(modelB.calls).toHaveLength(0);
  });

  it('withRateLimit in reject mode: three instances share one rpm budget', async () => {
    const stores = instances(3, 'rate:');
    await Promise.all(clients.map((c) => redisReady(c)));
    const limited = stores.map((store) => withRateLimit(scriptedModel('m', [{ reply: 'ok' }]), { rpm: 4, mode: 'reject', store, key: 'shared' }));
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await firstValueFrom(invoke(limited[i % 3]!, `q${i}`)).then(() => 'ok', (e: unknown) => (isModelError(e) ? e.kind : 'other')));
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'throttled', 'throttled']);
  });
});
