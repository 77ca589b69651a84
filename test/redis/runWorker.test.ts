import { Redis } from 'ioredis';
import { isRight, right } from 'fp-ts/lib/Either.js';
import { firstValueFrom, lastValueFrom, Subject, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedModel } from '../../src/testing/scriptedModel.js';
import { createRedisClient, redisReady } from '../../src/redis/createRedisClient.js';
import { enqueueRequests } from '../../src/redis/enqueueRequests.js';
import { fromRedisStream } from '../../src/redis/fromRedisStream.js';
import { readResults } from '../../src/redis/readResults.js';
import { runWorker } from '../../src/redis/runWorker.js';
import { hasRedis, NO_REDIS, startRedisServer, type RedisServer } from '../support/redisServer.js';

let server: RedisServer;
let redis: Redis;
let streams = 0;
const requests = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, request: { prompt: `say ${from + i}` } }));
const echo = () => scriptedModel('echo', (request) => ({ after: 1, reply: `echo ${request.id}` }));
describe.skipIf(!hasRedis)(hasRedis ? 'runWorker and fromRedisStream' : NO_REDIS, () => {
  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient(server.url);
    await redisReady(redis);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('checks its options when created', () => {
    expect(() => fromRedisStream({ redis, stream: '', group: 'g', consumer: 'c' })).toThrow(/stream must be a non-empty string/);
    expect(() => fromRedisStream({ redis, stream: 's', group: 'g', consumer: 'c', batch: 0 })).toThrow(/batch must be a positive integer/);
    expect(() => runWorker({ redis, stream: 's', group: 'g', consumer: 'c', model: echo(), concurrency: 1.5 })).toThrow(/concurrency/);
  });

  it('runs every request once, stores its result under its id, and leaves nothing pending', async () => {
    const stream = `s${++streams}`;
    expect(await enqueueRequests(redis, stream, requests(40), 7)).toBe(40);
    const model = echo();
    const results = await firstValueFrom(
      runWorker({ redis, stream, group: 'g', consumer: 'c1', model, concurrency: 4, blockMs: 50 }).pipe(take(40), toArray()),
    );
    expect(results.every((r) => r.stored && isRight(r.outcome))).toBe(true);
    expect(new Set(results.map((r) => r.requestId)).size).toBe(40);
    expect(model.calls).toHaveLength(40);
    const lines: { id: string; ok: boolean; text: string }[] = [];
    for await (const line of readResults(redis, `${stream}:results`)) lines.push(JSON.parse(line));
    expect(lines).toHaveLength(40);
    expect(lines.find((l) => l.id === 'r7')).toMatchObject({ ok: true, model: 'echo', text: 'echo r7' });
    expect(await redis.xpending(stream, 'g')).toEqual([0, null, null, null]);
  });

  it('never runs or stores a request twice: one whose result exists is acknowledged without running', async () => {
    const stream = `s${++streams}`;
    await redis.hset(`${stream}:results`, 'r0', '{"id":"r0","ok":true,"earlier":true}');
    await enqueueRequests(redis, stream, requests(3));
    const model = echo();
    const results = await firstValueFrom(runWorker({ redis, stream, group: 'g', consumer: 'c1', model, blockMs: 50 }).pipe(take(2), toArray()));
    expect(results.map((r) => r.requestId).sort()).toEqual(['r1', 'r2']);
    expect(model.calls.map((c) => c.request.id)).not.toContain('r0');
    expect(await redis.hget(`${stream}:results`, 'r0')).toBe('{"id":"r0","ok":true,"earlier":true}');
    expect((await redis.xpending(stream, 'g'))[0]).toBe(0);
  });

  it('keeps the first result when a request is acknowledged twice', async () => {
    const stream = `s${++streams}`;
    await enqueueRequests(redis, stream, requests(1));
    const delivery = await firstValueFrom(fromRedisStream({ redis, stream, group: 'g', consumer: 'c1', blockMs: 50 }));
    const response = { requestId: 'r0', modelId: 'm', text: 'first', message: { role: 'assistant' as const, content: [{ text: 'first' }] }, stopReason: 'end_turn' as const, usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 1, attempts: [] };
    expect(await firstValueFrom(delivery.ack(right(response)))).toBe(true);
    expect(await firstValueFrom(delivery.ack(right({ ...response, text: 'second' })))).toBe(false);
    expect(JSON.parse((await redis.hget(`${stream}:results`, 'r0'))!)).toMatchObject({ text: 'first' });
  });

  it('reclaims entries a dead consumer left pending after the visibility timeout', async () => {
    const stream = `s${++streams}`;
    await enqueueRequests(redis, stream, requests(5));
    await redis.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    // A consumer that read three entries and died before acknowledging them.
    await redis.xreadgroup('GROUP', 'g', 'dead', 'COUNT', 3, 'STREAMS', stream, '>');
    const model = echo();
    const results = await firstValueFrom(
      runWorker({ redis, stream, group: 'g', consumer: 'alive', model, blockMs: 50, visibilityTimeoutMs: 300 }).pipe(take(5), toArray()),
    );
    expect(results.filter((r) => r.reclaimed).map((r) => r.requestId).sort()).toEqual(['r0', 'r1', 'r2']);
    expect(await redis.hlen(`${stream}:results`)).toBe(5);
    expect((await redis.xpending(stream, 'g'))[0]).toBe(0);
  });

  it('keeps its own slow requests claimed, so another worker does not take them over after the visibility timeout', async () => {
    const stream = `s${++streams}`;
    await enqueueRequests(redis, stream, requests(1));
    const slow = scriptedModel('slow', [{ after: 900, reply: 'slow but alive' }]);
    const other = echo();
    const config = { redis, stream, group: 'g', blockMs: 1_000, visibilityTimeoutMs: 300 };
    const a = firstValueFrom(runWorker({ ...config, consumer: 'a', model: slow }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const b = runWorker({ ...config, consumer: 'b', model: other }).subscribe();
    const result = await a;
    b.unsubscribe();
    expect(result).toMatchObject({ requestId: 'r0', stored: true, reclaimed: false });
    expect(other.calls).toHaveLength(0);
  });

  it('holds at most `concurrency` entries unacknowledged (reading waits for a free slot)', async () => {
    const stream = `s${++streams}`;
    await enqueueRequests(redis, stream, requests(20));
    const model = scriptedModel('slow', [{ hang: true }]);
    const sub = runWorker({ redis, stream, group: 'g', consumer: 'c1', model, concurrency: 3, blockMs: 50 }).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await redis.xpending(stream, 'g'))[0]).toBe(3);
    expect(model.calls).toHaveLength(3);
    sub.unsubscribe();
    expect(model.calls.every((c) => c.end === 'unsubscribed')).toBe(true);
  });

  it('on stop$, stops reading and lets requests in flight finish and be stored', async () => {
    const stream = `s${++streams}`;
    await enqueueRequests(redis, stream, requests(10));
    const model = scriptedModel('m', (request) => ({ after: 100, reply: request.id }));
    const stop$ = new Subject<void>();
    const done = lastValueFrom(runWorker({ redis, stream, group: 'g', consumer: 'c1', model, concurrency: 2, blockMs: 50, stop$ }).pipe(toArray()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop$.next();
    const results = await done;
    expect(results).toHaveLength(2);
    expect(results.every((r) => r.stored)).toBe(true);
    expect(await redis.hlen(`${stream}:results`)).toBe(2);
    expect((await redis.xpending(stream, 'g'))[0]).toBe(0);
  });

  it('stores a failed request as a failure result (it is done, not retried forever)', async () => {
    const stream = `s${++streams}`;
    await redis.xadd(stream, '*', 'id', 'bad', 'request', '{"messages":"nope"}');
    await redis.xadd(stream, '*', 'id', 'garbled', 'request', '{not json');
    const results = await firstValueFrom(runWorker({ redis, stream, group: 'g', consumer: 'c1', model: echo(), blockMs: 50 }).pipe(take(2), toArray()));
    expect(results.map((r) => r.requestId).sort()).toEqual(['bad', 'garbled']);
    const line = JSON.parse((await redis.hget(`${stream}:results`, 'bad'))!);
    expect(line).toMatchObject({ id: 'bad', ok: false, error: { kind: 'validation' } });
  });
});
