import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { hasRedis, NO_REDIS, startRedisServer, type RedisServer } from '../support/redisServer.js';
import { jsonLines, runChild } from './fixtures/child.js';

const MODEL = 'amazon.nova-micro-v1:0';
const FAILING = 'amazon.titan-text-lite-v1';
let server: RedisServer;
let emulator: Emulator;
let prefixes = 0;

interface Line {
  type: string;
  ok?: boolean;
  kind?: string;
  source?: string;
  mode?: string;
  startedAt?: number;
  stoppedAt?: number;
  at?: number;
}
const scenario = (extra: Record<string, unknown>) =>
  JSON.stringify({ redisUrl: server.url, endpoint: emulator.endpoint, modelId: MODEL, prefix: `p${++prefixes}:`, ...extra });
const outcomes = (lines: Line[]) => lines.filter((l) => l.type === 'outcome');

describe.skipIf(!hasRedis)(hasRedis ? 'RedisStore shared by separate processes' : NO_REDIS, () => {
  beforeAll(async () => {
    server = await startRedisServer();
    emulator = await startEmulator({
      models: { [MODEL]: { latency: { kind: 'fixed', ms: 2 } }, [FAILING]: { latency: { kind: 'fixed', ms: 2 }, failures: { ServiceUnavailableException: 1 } } },
    });
  });
  afterAll(async () => {
    await emulator?.close();
    await server?.stop();
  });

  it('two processes with rpm: 60 on one store send at most 60 + 1 per elapsed second in total (a shared token bucket)', async () => {
    // Each process wants 50 requests at once (100 together). rpm: 60 is a bucket of 60 tokens refilled at 1 per second,
    // so over any span of T seconds both together may start at most 60 + T; separate buckets would let all 100 through.
    const prefix = scenario({ kind: 'rate', count: 50, runMs: 2_500 });
    const children = [runChild('sharedStoreClient.ts', [prefix]), runChild('sharedStoreClient.ts', [prefix])];
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(codes).toEqual([0, 0]);
    const lines = children.map((c) => jsonLines<Line>(c));
    const done = lines.map((l) => l.find((x) => x.type === 'done')!);
    const spanS = (Math.max(...done.map((d) => d.stoppedAt!)) - Math.min(...done.map((d) => d.startedAt!))) / 1000;
    const calls = emulator.stats().models[MODEL]!.calls;
    expect(calls).toBeGreaterThanOrEqual(60);
    expect(calls).toBeLessThanOrEqual(60 + Math.ceil(spanS));
    expect(calls).toBeLessThan(100);
    // Both processes were served from the one bucket.
    expect(lines.every((l) => outcomes(l).length > 0)).toBe(true);
    expect(outcomes(lines.flat()).every((o) => o.ok)).toBe(true);
  });

  it('with burst: 1, two processes never exceed the rate in any window (rpm 600 = 60 per 6 s, a minute at 10x speed)', async () => {
    // Both processes want 40 requests at once. burst: 1 paces the shared bucket at one request per 100 ms,
    // so no window of 6 s (the scaled minute) may hold more than 60 calls, nor any 1 s window more than 10 (+1 at its edge).
    const prefix = scenario({ kind: 'rate', count: 40, runMs: 2_500, rpm: 600, burst: 1 });
    const before = emulator.stats().models[MODEL]!.calls;
    const children = [runChild('sharedStoreClient.ts', [prefix]), runChild('sharedStoreClient.ts', [prefix])];
    expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0]);
    const starts = children.flatMap((c) => outcomes(jsonLines<Line>(c)).map((o) => o.at!)).sort((a, b) => a - b);
    const calls = emulator.stats().models[MODEL]!.calls - before;
    expect(starts.length).toBeGreaterThan(10);
    const mostInOneSecond = Math.max(...starts.map((t) => starts.filter((s) => s >= t && s < t + 1_000).length));
    expect(mostInOneSecond).toBeLessThanOrEqual(11);
    expect(calls).toBeLessThanOrEqual(60);
  });

  it('a breaker opened by failures in one process fails the other fast (circuit-open) without calling the model', async () => {
    const shared = scenario({ kind: 'breaker', count: 5, modelId: FAILING });
    const first = runChild('sharedStoreClient.ts', [shared]);
    expect(await first.exited).toBe(0);
    expect(outcomes(jsonLines<Line>(first)).map((o) => o.kind)).toEqual(['unavailable', 'unavailable', 'unavailable', 'circuit-open', 'circuit-open']);
    const callsAfterFirst = emulator.stats().models[FAILING]!.calls;
    expect(callsAfterFirst).toBe(3);
    const second = runChild('sharedStoreClient.ts', [shared]);
    expect(await second.exited).toBe(0);
    expect(outcomes(jsonLines<Line>(second)).map((o) => o.kind)).toEqual(Array(5).fill('circuit-open'));
    expect(emulator.stats().models[FAILING]!.calls).toBe(callsAfterFirst);
  });

  it.each([
    ['open', (o: Line) => o.ok === true],
    ['closed', (o: Line) => o.ok === false && o.kind === 'unavailable' && o.source === 'redis'],
  ] as const)('Redis stopped mid-run with failMode %s: the mode is honoured, with an event, and the process neither hangs nor crashes', async (failMode, afterOutage) => {
    const outage = await startRedisServer();
    const child = runChild('sharedStoreClient.ts', [
      JSON.stringify({ redisUrl: outage.url, endpoint: emulator.endpoint, modelId: MODEL, prefix: 'o:', kind: 'outage', count: 30, gapMs: 40, failMode }),
    ]);
    await child.waitFor((l) => l.includes('"type":"outcome"'));
    await outage.stop();
    expect(await child.exited).toBe(0);
    const lines = jsonLines<Line>(child);
    const all = outcomes(lines);
    expect(all).toHaveLength(30);
    expect(all[0]!.ok).toBe(true);
    const events = lines.filter((l) => l.type === 'event');
    expect(events[0]).toEqual({ type: 'event', mode: `fail-${failMode}`, store: 'redis' });
    const degradedAt = lines.indexOf(events[0]!);
    // The request in flight when the outage is noticed (by a write after its call) may still succeed; every later one follows the mode.
    const after = lines.slice(degradedAt).filter((l) => l.type === 'outcome').slice(1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every(afterOutage)).toBe(true);
  });
});
