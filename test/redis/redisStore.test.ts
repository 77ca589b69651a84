import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { asyncScheduler, firstValueFrom, toArray, lastValueFrom, type SchedulerLike } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus, isModelError, type RuntimeEvent } from '../../src/core/index.js';
import { MemoryStore } from '../../src/state/memoryStore.js';
import { emaScore } from '../../src/state/scoreEma.js';
import type { BreakerPolicy } from '../../src/state/store.js';
import { createRedisClient, redisReady } from '../../src/redis/createRedisClient.js';
import { RedisStore } from '../../src/redis/redisStore.js';
import { hasRedis, NO_REDIS, startRedisServer, type RedisServer } from '../support/redisServer.js';

let server: RedisServer;
let redisA: Redis;
let redisB: Redis;
let prefixes = 0;
/** Two stores on two connections (as two processes would have), sharing one prefix. */
function pair(extra: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}): [RedisStore, RedisStore] {
  const prefix = `t${++prefixes}:`;
  return [new RedisStore({ redis: redisA, prefix, ...extra }), new RedisStore({ redis: redisB, prefix, ...extra })];
}
const get = <T>(reply: T | import('rxjs').Observable<T>): Promise<T> =>
  firstValueFrom(reply as import('rxjs').Observable<T>);

describe.skipIf(!hasRedis)(hasRedis ? 'RedisStore' : NO_REDIS, () => {
  beforeAll(async () => {
    server = await startRedisServer();
    redisA = createRedisClient(server.url);
    redisB = createRedisClient(server.url);
    await Promise.all([redisReady(redisA), redisReady(redisB)]);
  });
  afterAll(async () => {
    redisA?.disconnect();
    redisB?.disconnect();
    await server?.stop();
  });

  it('checks its options when created', () => {
    expect(() => new RedisStore({ redis: {} as Redis })).toThrow(/redis must be an ioredis client/);
    expect(() => new RedisStore({ redis: redisA, failMode: 'maybe' as 'open' })).toThrow(/failMode/);
    expect(() => new RedisStore({ redis: redisA, commandTimeoutMs: 0 })).toThrow(/commandTimeoutMs/);
    expect(() => new RedisStore({ redis: redisA, maxCacheEntries: 1.5 })).toThrow(/maxCacheEntries/);
  });

  it('shares token buckets: what one instance takes the other cannot', async () => {
    const [a, b] = pair();
    const take = { key: 'rpm', capacity: 3, refillMs: 60_000, amount: 2 };
    const first = await get(a.takeTokens([take], 0));
    expect(first.granted).toBe(true);
    expect(first.remaining[0]).toBeCloseTo(1, 2);
    const second = await get(b.takeTokens([take], 0));
    expect(second.granted).toBe(false);
    // One token missing at 3 per minute: about 20 s (less the few ms since the first take).
    expect(second.waitMs).toBeGreaterThan(19_000);
    expect(second.waitMs).toBeLessThanOrEqual(20_000);
  });

  it('takes from several buckets all or nothing', async () => {
    const [a, b] = pair();
    const rpm = { key: 'rpm', capacity: 10, refillMs: 60_000 };
    const tpm = { key: 'tpm', capacity: 100, refillMs: 60_000 };
    expect((await get(a.takeTokens([{ ...tpm, amount: 95 }], 0))).granted).toBe(true);
    const refused = await get(b.takeTokens([{ ...rpm, amount: 1 }, { ...tpm, amount: 50 }], 0));
    expect(refused.granted).toBe(false);
    expect(refused.remaining[0]).toBe(10);
    const ok = await get(b.takeTokens([{ ...rpm, amount: 1 }, { ...tpm, amount: 5 }], 0));
    expect(ok.granted).toBe(true);
    expect(ok.remaining[0]).toBeCloseTo(9, 2);
    expect(ok.remaining[1]).toBeLessThan(1);
  });

  it('adjusts a bucket (refund capped at capacity, charge may go negative)', async () => {
    const [a, b] = pair();
    const bucket = { capacity: 100, refillMs: 3_600_000 };
    await get(a.takeTokens([{ key: 'tpm', ...bucket, amount: 80 }], 0));
    expect(await get(b.adjustTokens('tpm', bucket, -50, 0))).toBeCloseTo(-30, 0);
    expect(await get(a.adjustTokens('tpm', bucket, 500, 0))).toBe(100);
  });

  it('shares a circuit: failures in one instance open it for the other, with one half-open probe across both', async () => {
    const [a, b] = pair();
    const policy: BreakerPolicy = { failureThreshold: 2, openForMs: 150, halfOpenProbes: 1 };
    const permit = await get(a.breakerAcquire('m', policy, 0));
    expect(permit).toEqual({ permitted: true, probe: false, state: 'closed', retryAfterMs: 0 });
    expect(await get(a.breakerRecord('m', policy, 'failure', false, 0))).toEqual({ state: 'closed' });
    expect(await get(b.breakerRecord('m', policy, 'failure', false, 0))).toEqual({ state: 'open', transition: { from: 'closed', to: 'open' } });
    const refused = await get(a.breakerAcquire('m', policy, 0));
    expect(refused).toMatchObject({ permitted: false, state: 'open' });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(150);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const probes = await Promise.all([get(a.breakerAcquire('m', policy, 0)), get(b.breakerAcquire('m', policy, 0))]);
    expect(probes.filter((p) => p.permitted)).toHaveLength(1);
    expect(probes.filter((p) => p.transition?.to === 'half-open')).toHaveLength(1);
    const winner = probes.find((p) => p.permitted)!;
    expect(winner.probe).toBe(true);
    expect(await get(b.breakerRecord('m', policy, 'success', true, 0))).toEqual({ state: 'closed', transition: { from: 'half-open', to: 'closed' } });
    expect((await get(a.breakerAcquire('m', policy, 0))).state).toBe('closed');
  });

  it('gives back a probe slot whose holder died after probeLeaseMs', async () => {
    const [a, b] = pair({ probeLeaseMs: 100 });
    const policy: BreakerPolicy = { failureThreshold: 1, openForMs: 0, halfOpenProbes: 1 };
    await get(a.breakerRecord('m', policy, 'failure', false, 0));
    expect((await get(a.breakerAcquire('m', policy, 0))).probe).toBe(true);
    expect((await get(b.breakerAcquire('m', policy, 0))).permitted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await get(b.breakerAcquire('m', policy, 0))).probe).toBe(true);
  });

  it('decides like the in-memory breaker for the same calls (failure-rate policy)', async () => {
    const [a] = pair();
    const memory = new MemoryStore();
    const policy: BreakerPolicy = { failureRate: { rate: 0.5, window: 4, minCalls: 3 }, openForMs: 0, halfOpenProbes: 1 };
    const script: ('success' | 'failure' | 'ignored')[] = ['success', 'failure', 'success', 'ignored', 'failure', 'failure', 'success', 'failure', 'success', 'success', 'failure', 'failure'];
    for (const outcome of script) {
      const remote = await get(a.breakerAcquire('m', policy, 0));
      const local = memory.breakerAcquire('m', policy, 0);
      expect(remote).toEqual(local);
      if (!remote.permitted) continue;
      expect(await get(a.breakerRecord('m', policy, outcome, remote.probe, 0))).toEqual(memory.breakerRecord('m', policy, outcome, local.probe, 0));
    }
  });

  it('merges EMA scores from every instance', async () => {
    const [a, b] = pair();
    const samples = [
      { success: 1, latencyMs: 100, costUsd: 0.01 },
      { success: 0, latencyMs: 300, costUsd: 0.02 },
      { success: 1, latencyMs: 200, costUsd: 0.03 },
    ];
    await get(a.scoreUpdate('score:m1', samples[0]!, 0.5));
    await get(b.scoreUpdate('score:m1', samples[1]!, 0.5));
    const merged = await get(a.scoreUpdate('score:m1', samples[2]!, 0.5));
    const expected = samples.reduce<ReturnType<typeof emaScore> | undefined>((e, s) => emaScore(e, s, 0.5), undefined)!;
    expect(merged.count).toBe(3);
    expect(merged.success).toBeCloseTo(expected.success, 10);
    expect(merged.latencyMs).toBeCloseTo(expected.latencyMs, 10);
    expect(merged.costUsd).toBeCloseTo(expected.costUsd, 10);
    await get(b.scoreUpdate('other:m2', samples[0]!, 0.5));
    const all = await get(b.scoreGetAll('score:'));
    expect([...all.keys()]).toEqual(['score:m1']);
  });

  it('caches JSON values with a TTL, shared, and bounded by maxCacheEntries', async () => {
    const [a, b] = pair({ maxCacheEntries: 3 });
    await get(a.cacheSet('k1', { text: 'one', n: 1 }, 60_000, 0));
    expect(await get(b.cacheGet('k1', 0))).toEqual({ text: 'one', n: 1 });
    expect(await get(b.cacheGet('absent', 0))).toBeUndefined();
    const ttl = await redisA.pttl(`t${prefixes}:cache:k1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    for (const k of ['k2', 'k3', 'k4', 'k5']) await get(b.cacheSet(k, k, 60_000, 0));
    expect(await redisA.zcard(`t${prefixes}:cache-index`)).toBe(3);
    expect(await get(a.cacheGet('k1', 0))).toBeUndefined();
    expect(await get(a.cacheGet('k2', 0))).toBeUndefined();
    expect(await get(a.cacheGet('k5', 0))).toBe('k5');
    await redisA.set(`t${prefixes}:cache:foreign`, 'not json');
    expect(await get(a.cacheGet('foreign', 0))).toBeUndefined();
    expect(a.degraded).toBe(false);
  });

  it('keeps a shared rolling budget window', async () => {
    const [a, b] = pair({ budgetSlots: 10 });
    await get(a.budgetAdd('team', { usd: 0.5, tokens: 100 }, 60_000, 0));
    const total = await get(b.budgetAdd('team', { usd: 0.25, tokens: 50 }, 60_000, 0));
    expect(total.usd).toBeCloseTo(0.75, 10);
    expect(total.tokens).toBe(150);
    expect(await get(a.budgetGet('team', 60_000, 0))).toEqual(total);
    expect(await get(a.budgetGet('other', 60_000, 0))).toEqual({ usd: 0, tokens: 0 });
  });

  it('forgets spending once its slot leaves the window', async () => {
    const [a] = pair({ budgetSlots: 2 });
    await get(a.budgetAdd('short', { usd: 1, tokens: 10 }, 100, 0));
    await new Promise((resolve) => setTimeout(resolve, 160));
    expect(await get(a.budgetGet('short', 100, 0))).toEqual({ usd: 0, tokens: 0 });
  });
});

describe.skipIf(!hasRedis)(hasRedis ? 'RedisStore when Redis fails' : NO_REDIS, () => {
  let silent: Server;
  let silentPort = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // A server that accepts connections and never answers: commands would wait forever.
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  const events = () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    return { bus, seen };
  };

  it('fail-open: answers from local state and emits one store-degraded event per outage', async () => {
    const down = await startRedisServer();
    const redis = createRedisClient(down.url);
    await redisReady(redis);
    await down.stop();
    const { bus, seen } = events();
    const store = new RedisStore({ redis, failMode: 'open', events: bus });
    const take = { key: 'rpm', capacity: 2, refillMs: 60_000, amount: 1 };
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await get(store.takeTokens([take], 0)));
    expect(results.map((r) => r.granted)).toEqual([true, true, false]);
    expect(store.degraded).toBe(true);
    expect(seen).toEqual([expect.objectContaining({ type: 'store-degraded', store: 'redis', mode: 'fail-open' })]);
    redis.disconnect();
  });

  it('while degraded, answers locally without waiting on Redis for recheckMs, then goes back to Redis once it is up', async () => {
    const first = await startRedisServer();
    const redis = createRedisClient(first.url);
    await redisReady(redis);
    const { bus, seen } = events();
    // The store's clock is stepped by hand, so a slow machine (a slow redis-server start) cannot outrun recheckMs.
    let now = 0;
    const clock = { now: () => now, schedule: asyncScheduler.schedule.bind(asyncScheduler) } as SchedulerLike;
    const store = new RedisStore({ redis, failMode: 'open', recheckMs: 100, events: bus, prefix: 'recheck:', scheduler: clock });
    await get(store.cacheSet('k', 'shared', 60_000, 0));
    await first.stop();
    expect(await get(store.cacheGet('k', 0))).toBeUndefined();
    expect(store.degraded).toBe(true);
    const second = await startRedisServer(first.port);
    await redisReady(redis);
    // Redis is back, but the store does not look before recheckMs has passed: this write stays local.
    await get(store.cacheSet('k', 'local', 60_000, 0));
    expect(await redis.exists('recheck:cache:k')).toBe(0);
    now += 150;
    await get(store.cacheSet('k', 'shared again', 60_000, 0));
    expect(store.degraded).toBe(false);
    expect(await get(store.cacheGet('k', 0))).toBe('shared again');
    expect(seen.filter((e) => e.type === 'store-degraded')).toHaveLength(1);
    redis.disconnect();
    await second.stop();
  });

  it('fail-closed: errors with a typed unavailable ModelError from source redis', async () => {
    const redis = createRedisClient(`redis://127.0.0.1:${silentPort}`);
    const { bus, seen } = events();
    const store = new RedisStore({ redis, failMode: 'closed', events: bus });
    const error = await get(store.breakerAcquire('m', { failureThreshold: 1, openForMs: 10, halfOpenProbes: 1 }, 0)).catch((e: unknown) => e);
    expect(isModelError(error, 'unavailable')).toBe(true);
    expect(error).toMatchObject({ source: 'redis' });
    expect(seen).toEqual([expect.objectContaining({ type: 'store-degraded', mode: 'fail-closed' })]);
    redis.disconnect();
  });

  it('times out a command that never gets an answer, even on a client without a command timeout', async () => {
    const redis = new Redis(silentPort, '127.0.0.1', { enableReadyCheck: false, maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    const { bus, seen } = events();
    const store = new RedisStore({ redis, failMode: 'open', commandTimeoutMs: 50, events: bus });
    const answers = await lastValueFrom(store.cacheGet('k', 0).pipe(toArray()));
    expect(answers).toEqual([undefined]);
    expect(seen[0]).toMatchObject({ type: 'store-degraded', message: expect.stringContaining('no answer in 50 ms') });
    redis.disconnect();
  });
});
