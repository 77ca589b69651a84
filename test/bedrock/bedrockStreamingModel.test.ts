import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { lastValueFrom, of, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect } from '../../src/bedrock/collect.js';
import { createBedrock } from '../../src/bedrock/createBedrock.js';
import { toRequest } from '../../src/core/request.js';
import type { StreamEvent } from '../../src/core/stream.js';
import { STREAM_EXCEPTIONS } from '../../src/emulator/index.js';
import { ERROR_TABLE } from '../../src/bedrock/classifyError.js';
import { CREDENTIALS, EXACT_MODELS, until, useEmulator } from './emulatorFixture.js';

const QUESTION = 'What is 12 + 7?';
const fail = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('expected an error'), (e: unknown) => e);

function summary(events: readonly StreamEvent[]) {
  const deltas = events.flatMap((e) => (e.type === 'delta' ? [e.text] : []));
  const completed = events.filter((e) => e.type === 'completed');
  return { deltas, completed, last: events[events.length - 1] };
}

describe('streamingModel over the emulator', () => {
  const { emulator, bedrock } = useEmulator();

  it('streams deltas then one completed through ConverseStream, usage as billed', async () => {
    const id = 'amazon.nova-micro-v1:0';
    emulator().setProfile(id, { outputTokens: 12 });
    const before = emulator().stats().models[id];
    const events = await lastValueFrom(of(toRequest({ id: 's1', prompt: 'Tell me about rivers' })).pipe(bedrock().streamingModel(id), toArray()));
    const after = emulator().stats().models[id]!;
    const { deltas, completed, last } = summary(events);
    expect(deltas.length).toBeGreaterThan(1);
    expect(completed).toHaveLength(1);
    expect(last).toBe(completed[0]);
    const response = completed[0]!.type === 'completed' ? completed[0]!.response : undefined;
    expect(response).toMatchObject({ requestId: 's1', modelId: id, text: deltas.join('') });
    expect(response!.usage).toEqual({ inputTokens: after.inputTokens - (before?.inputTokens ?? 0), outputTokens: after.outputTokens - (before?.outputTokens ?? 0) });
    expect(response!.costUsd).toBeGreaterThan(0);
  });

  it.each(EXACT_MODELS)('streams %s through InvokeModelWithResponseStream with its family codec', async (id) => {
    const before = emulator().stats().models[id];
    const events = await lastValueFrom(of(toRequest(QUESTION)).pipe(bedrock().streamingModel(id, { api: 'invoke' }), toArray()));
    const after = emulator().stats().models[id]!;
    const { deltas, completed } = summary(events);
    expect(completed).toHaveLength(1);
    const response = completed[0]!.type === 'completed' ? completed[0]!.response : undefined;
    expect(response!.text).toBe(deltas.join(''));
    expect(response!.text.trim()).toBe('19');
    expect(response!.usage).toEqual({ inputTokens: after.inputTokens - (before?.inputTokens ?? 0), outputTokens: after.outputTokens - (before?.outputTokens ?? 0) });
  });

  it('collect() turns a streaming model into a Model with the same answer', async () => {
    const response = await lastValueFrom(of(toRequest(QUESTION)).pipe(collect(bedrock().streamingModel('ai21.jamba-1-5-mini-v1:0', { api: 'invoke' }))));
    expect(response).toMatchObject({ modelId: 'ai21.jamba-1-5-mini-v1:0', text: '19', stopReason: 'end_turn' });
  });

  it('maps ModelStreamErrorException (HTTP on InvokeModelWithResponseStream, in-stream on ConverseStream) to model-error', async () => {
    const id = 'meta.llama3-70b-instruct-v1:0';
    emulator().setProfile(id, { latency: { kind: 'fixed', ms: 0 }, failures: { ModelStreamErrorException: 1 } });
    try {
      for (const api of ['invoke', 'converse'] as const) {
        const error = await fail(lastValueFrom(of(toRequest('hi')).pipe(bedrock().streamingModel(id, { api }))));
        expect(error).toMatchObject({ kind: 'model-error', source: 'ModelStreamErrorException', modelId: id });
      }
    } finally {
      emulator().setProfile(id, { failures: {} });
    }
  });

  it.each(STREAM_EXCEPTIONS)('maps an in-stream %s after some deltas like a unary one', async (name) => {
    const id = 'mistral.mixtral-8x7b-instruct-v0:1';
    emulator().setProfile(id, { outputTokens: 10, streamFailure: { afterTokens: 2, exception: name, rate: 1 } });
    try {
      const deltas: string[] = [];
      const error = await fail(
        lastValueFrom(of(toRequest('Tell me a story')).pipe(bedrock().streamingModel(id, { api: 'invoke' }), tap((e) => e.type === 'delta' && deltas.push(e.text)))),
      );
      expect(deltas).toHaveLength(2);
      expect(error).toMatchObject({ kind: ERROR_TABLE.exceptions[name], source: name, modelId: id });
    } finally {
      emulator().setProfile(id, { streamFailure: null });
    }
  });

  it('unsubscribing mid-stream cancels it in the emulator and stops the billing of output tokens', async () => {
    const id = 'anthropic.claude-3-sonnet-20240229-v1:0';
    emulator().setProfile(id, { outputTokens: 400, tokensPerSecond: 200, latency: { kind: 'fixed', ms: 0 }, firstTokenMs: { kind: 'fixed', ms: 0 } });
    const events: string[] = [];
    bedrock().events$.subscribe((e) => events.push(e.type));
    let deltas = 0;
    for (const api of ['converse', 'invoke'] as const) {
      const before = emulator().stats().models[id];
      const subscription = of(toRequest('Write a long essay')).pipe(bedrock().streamingModel(id, { api })).subscribe({
        next: (e) => {
          expect(e.type).toBe('delta');
          deltas++;
        },
        error: () => expect.unreachable(),
      });
      await until(() => deltas >= 3, 'three deltas');
      subscription.unsubscribe();
      await until(() => emulator().stats().models[id]!.cancelled === (before?.cancelled ?? 0) + 1, 'the emulator to count the cancellation');
      const billed = emulator().stats().models[id]!.outputTokens;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(emulator().stats().models[id]!.outputTokens).toBe(billed);
      expect(billed - (before?.outputTokens ?? 0)).toBeLessThan(400);
      expect(emulator().stats().models[id]!.successes).toBe(before?.successes ?? 0);
      deltas = 0;
    }
    expect(events.filter((t) => t === 'attempt-cancelled')).toHaveLength(2);
    expect(events).not.toContain('attempt-succeeded');
  });

  it('cancels over HTTP/2 too, through a stock client passed in (unary and streaming)', async () => {
    const id = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
    emulator().setProfile(id, { outputTokens: 400, tokensPerSecond: 200, latency: { kind: 'fixed', ms: 3000 }, firstTokenMs: { kind: 'fixed', ms: 0 } });
    const client = new BedrockRuntimeClient({ endpoint: emulator().endpoint, region: 'us-east-1', credentials: CREDENTIALS });
    const h2 = createBedrock({ client });
    try {
      const unary = of(toRequest('hi')).pipe(h2.model(id)).subscribe({ error: () => expect.unreachable() });
      await until(() => (emulator().stats().models[id]?.inFlight ?? 0) === 1, 'the unary request to arrive');
      unary.unsubscribe();
      await until(() => emulator().stats().models[id]!.cancelled === 1, 'the unary cancellation');
      let deltas = 0;
      const stream = of(toRequest('Write a long essay')).pipe(h2.streamingModel(id)).subscribe({ next: () => deltas++, error: () => expect.unreachable() });
      await until(() => deltas >= 2, 'two deltas');
      stream.unsubscribe();
      await until(() => emulator().stats().models[id]!.cancelled === 2, 'the stream cancellation');
      expect(emulator().stats().models[id]).toMatchObject({ successes: 0, inFlight: 0 });
      expect(emulator().stats().models[id]!.outputTokens).toBeLessThan(400);
    } finally {
      client.destroy();
    }
  });
});
