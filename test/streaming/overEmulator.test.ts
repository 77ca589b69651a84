import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastValueFrom, of, toArray } from 'rxjs';
import { createBedrock, type Bedrock } from '../../src/bedrock/index.js';
import { isModelError, type ModelError } from '../../src/core/errors.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { toRequest } from '../../src/core/request.js';
import type { StreamEvent, StreamingModel } from '../../src/core/stream.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { hedgeFirstToken } from '../../src/streaming/hedgeFirstToken.js';
import { streamFallback, type StreamFallbackPolicy } from '../../src/streaming/streamFallback.js';
import { withStallTimeout } from '../../src/streaming/withStallTimeout.js';
import { withStreamMetrics } from '../../src/streaming/withStreamMetrics.js';

// Real HTTP against the emulator: streams that stall or throw mid-way are rescued,
// and hedge losers are aborted (the emulator counts them cancelled, billing stops).
let emulator: Emulator;
let bedrock: Bedrock;
const stream = { tokensPerSecond: 500, outputTokens: 12, latency: { kind: 'fixed', ms: 5 } } as const;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    models: {
      good: stream,
      stallsAt0: { ...stream, stallAfterTokens: { afterTokens: 0, ms: 5_000, rate: 1 } },
      stallsAt3: { ...stream, stallAfterTokens: { afterTokens: 3, ms: 5_000, rate: 1 } },
      throwsAt0: { ...stream, streamFailure: { afterTokens: 0, exception: 'ModelStreamErrorException', rate: 1 } },
      throwsAt3: { ...stream, streamFailure: { afterTokens: 3, exception: 'ThrottlingException', rate: 1 } },
      slowFirst: { ...stream, firstTokenMs: { kind: 'fixed', ms: 600 } },
      fastFirst: { ...stream, firstTokenMs: { kind: 'fixed', ms: 20 } },
    },
  });
  bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(async () => {
  await emulator?.close();
});

// Bedrock's operators do not advertise `modelId` (scripted ones do); name them so trails say which model.
const named = (id: string): StreamingModel => Object.assign(bedrock.streamingModel(id), { modelId: id });
const guarded = (id: string): StreamingModel => withStallTimeout(named(id), { firstTokenMs: 2_000, betweenTokensMs: 150 });
const run = (model: StreamingModel, id: string): Promise<StreamEvent[]> => lastValueFrom(of(toRequest({ id, prompt: 'Tell me a story' })).pipe(model, toArray()));
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const textOf = (events: readonly StreamEvent[]) => {
  const last = events.at(-1);
  return last?.type === 'completed' ? last.response.text : undefined;
};
const deltasSinceReset = (events: readonly StreamEvent[]) => {
  const from = events.map((e) => e.type).lastIndexOf('reset') + 1;
  return events.slice(from).flatMap((e) => (e.type === 'delta' ? [e.text] : []));
};

describe('streaming strategies over HTTP', () => {
  const cases: readonly { policy: StreamFallbackPolicy; failing: readonly string[] }[] = [
    { policy: 'before-first-token', failing: ['stallsAt0', 'throwsAt0'] },
    { policy: 'restart', failing: ['stallsAt3', 'throwsAt3'] },
    { policy: 'continue', failing: ['stallsAt3', 'throwsAt3'] },
  ];
  for (const { policy, failing } of cases) {
    for (const id of failing) {
      it(`${policy}: rescues ${id} with the next model`, async () => {
        const before = emulator.stats().models[id]?.outputTokens ?? 0;
        const events = await run(streamFallback(guarded(id), bedrock.streamingModel('good'), { policy }), `${policy}-${id}`);
        const deltas = events.flatMap((e) => (e.type === 'delta' ? [e.text] : []));
        const completed = events.at(-1)!;
        expect(completed.type).toBe('completed');
        if (completed.type !== 'completed') return;
        expect(completed.response.modelId).toBe('good');
        expect(completed.response.attempts.map((a) => [a.modelId, a.outcome])).toEqual([[id, 'failure'], ['good', 'success']]);
        expect(completed.response.attempts[0]!.errorKind).toBe(id.startsWith('stalls') ? 'timeout' : id === 'throwsAt3' ? 'throttled' : 'model-error');
        const partial = id.endsWith('3') ? 3 : 0;
        expect((emulator.stats().models[id]?.outputTokens ?? 0) - before).toBe(partial);
        if (policy === 'restart') {
          expect(events.filter((e) => e.type === 'reset')).toHaveLength(1);
          expect(events.findIndex((e) => e.type === 'reset')).toBe(3); // right after the failed model's 3 tokens
          expect(deltasSinceReset(events).join('')).toBe(textOf(events));
        } else {
          expect(events.some((e) => e.type === 'reset')).toBe(false);
          expect(deltas.join('')).toBe(textOf(events));
        }
        if (policy === 'continue') expect(deltas.length).toBeGreaterThan(3);
      });
    }
  }

  it('before-first-token: an error after tokens is final', async () => {
    const error = await run(streamFallback(guarded('throwsAt3'), bedrock.streamingModel('good')), 'btf-final').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isModelError(error, 'throttled')).toBe(true);
  });

  it('a stalled stream is aborted: the emulator counts it cancelled', async () => {
    const before = emulator.stats().models.stallsAt3?.cancelled ?? 0;
    const error = await run(guarded('stallsAt3'), 'stall-abort').then(
      () => undefined,
      (e: unknown) => e as ModelError,
    );
    expect(error).toMatchObject({ kind: 'timeout', source: 'stream-stalled' });
    await settle(50);
    expect(emulator.stats().models.stallsAt3!.cancelled - before).toBe(1);
  });

  it('hedgeFirstToken: the fast model wins; the slow loser is cancelled with no tokens billed, and metrics are reported', async () => {
    const bus = createEventBus();
    const seen: RuntimeEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const m = withStreamMetrics(hedgeFirstToken([named('slowFirst'), named('fastFirst')], { after: 100, events: bus }), { events: bus });
    const events = await run(m, 'hedge');
    const completed = events.at(-1)!;
    expect(completed.type === 'completed' && completed.response.attempts.map((a) => [a.modelId, a.outcome])).toEqual([['slowFirst', 'cancelled'], ['fastFirst', 'success']]);
    expect(events.every((e) => e.type !== 'delta' || e.modelId === 'fastFirst')).toBe(true);
    await settle(800); // past the moment slowFirst would have sent its first token
    const slow = emulator.stats().models.slowFirst!;
    expect(slow).toMatchObject({ calls: 1, cancelled: 1, outputTokens: 0, successes: 0 });
    expect(emulator.stats().models.fastFirst).toMatchObject({ calls: 1, successes: 1, cancelled: 0 });
    expect(seen.map((e) => e.type)).toEqual(['hedge-fired', 'first-token', 'stream-completed']);
  });
});
