import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { lastValueFrom, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { classifyError, ERROR_TABLE } from '../../src/bedrock/classifyError.js';
import { createBedrock } from '../../src/bedrock/createBedrock.js';
import { invoke } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import { EXCEPTIONS, type ExceptionName } from '../../src/emulator/index.js';
import { CREDENTIALS, EXACT_MODELS, until, useEmulator } from './emulatorFixture.js';

const QUESTION = 'What is 12 + 7?';
const fail = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('expected an error'), (e: unknown) => e);

describe('model over the emulator', () => {
  const { emulator, bedrock } = useEmulator();

  it('answers through Converse with usage, cost and the emulator billing the same tokens', async () => {
    const id = 'amazon.nova-micro-v1:0';
    const before = emulator().stats().models[id];
    const response = await lastValueFrom(invoke(bedrock().model(id), { id: 'q1', prompt: QUESTION }));
    const after = emulator().stats().models[id]!;
    expect(response).toMatchObject({ requestId: 'q1', modelId: id, text: '19', stopReason: 'end_turn', attempts: [{ modelId: id, outcome: 'success' }] });
    expect(response.usage.inputTokens).toBe(after.inputTokens - (before?.inputTokens ?? 0));
    expect(response.usage.outputTokens).toBe(after.outputTokens - (before?.outputTokens ?? 0));
    expect(response.costUsd).toBeCloseTo((response.usage.inputTokens * 0.000035 + response.usage.outputTokens * 0.00014) / 1000, 15);
  });

  it('accepts inference-profile ids', async () => {
    const response = await lastValueFrom(invoke(bedrock().model('us.amazon.nova-micro-v1:0', { api: 'invoke' }), QUESTION));
    expect(response).toMatchObject({ modelId: 'us.amazon.nova-micro-v1:0', text: '19' });
    expect(response.costUsd).toBeGreaterThan(0);
  });

  it.each(EXACT_MODELS)('formats, sends and decodes the native body of %s through InvokeModel', async (id) => {
    const before = emulator().stats().models[id];
    const response = await lastValueFrom(invoke(bedrock().model(id, { api: 'invoke', system: 'Answer with a number.', inferenceConfig: { maxTokens: 50 } }), QUESTION));
    const after = emulator().stats().models[id]!;
    expect(response.text.trim()).toBe('19');
    expect(response.stopReason).toBe('end_turn');
    // Families without usage in the body read the token-count headers: both agree with what the emulator billed.
    expect(response.usage).toEqual({ inputTokens: after.inputTokens - (before?.inputTokens ?? 0), outputTokens: after.outputTokens - (before?.outputTokens ?? 0) });
  });

  const statusOf = (name: ExceptionName) => EXCEPTIONS[name].status;
  const unaryExceptions = (Object.keys(ERROR_TABLE.exceptions) as ExceptionName[]).filter((n) => n !== 'ModelStreamErrorException');
  it.each(unaryExceptions)('maps an injected %s to its documented kind', async (name) => {
    const id = 'amazon.titan-text-lite-v1';
    emulator().setProfile(id, { latency: { kind: 'fixed', ms: 0 }, failures: { [name]: 1 } });
    try {
      const error = await fail(lastValueFrom(invoke(bedrock().model(id, { api: 'invoke' }), { id: 'q2', prompt: 'hi' })));
      expect(error).toMatchObject({
        name: 'ModelError',
        kind: ERROR_TABLE.exceptions[name],
        source: name,
        httpStatus: statusOf(name),
        modelId: id,
        requestId: 'q2',
      });
      const shown = JSON.stringify(error) + String(error);
      expect(shown).not.toContain(CREDENTIALS.accessKeyId);
      expect(shown).not.toContain(CREDENTIALS.secretAccessKey);
    } finally {
      emulator().setProfile(id, { failures: {} });
    }
  });

  it('maps ValidationException for an unknown model and a too-long input', async () => {
    const error = await fail(lastValueFrom(invoke(bedrock().model('acme.no-such-model-v1'), 'hi')));
    expect(error).toMatchObject({ kind: expect.stringMatching(/^(validation|not-found)$/), modelId: 'acme.no-such-model-v1' });
    emulator().setProfile('amazon.titan-text-lite-v1', { contextWindow: 5 });
    try {
      const tooLong = await fail(lastValueFrom(invoke(bedrock().model('amazon.titan-text-lite-v1'), 'a much longer prompt than five tokens allow')));
      expect(tooLong).toMatchObject({ kind: 'validation', source: 'ValidationException', httpStatus: 400 });
    } finally {
      emulator().setProfile('amazon.titan-text-lite-v1', { contextWindow: 4096 });
    }
  });

  it('reports malformed answers as invalid-output with the path report (Converse and InvokeModel)', async () => {
    const id = 'meta.llama3-8b-instruct-v1:0';
    emulator().setProfile(id, { malformedRate: 1 });
    try {
      const converse = await fail(lastValueFrom(invoke(bedrock().model(id), 'hi')));
      expect(converse).toMatchObject({ kind: 'invalid-output', details: [expect.stringMatching(/^stopReason: /)] });
      const native = await fail(lastValueFrom(invoke(bedrock().model(id, { api: 'invoke' }), 'hi')));
      expect(native).toMatchObject({ kind: 'invalid-output', details: [expect.stringMatching(/^body: expected JSON/)] });
    } finally {
      emulator().setProfile(id, { malformedRate: 0 });
    }
  });

  it('reports a reset connection as unavailable', async () => {
    const id = 'mistral.mistral-7b-instruct-v0:2';
    emulator().setProfile(id, { resetRate: 1 });
    try {
      const error = await fail(lastValueFrom(invoke(bedrock().model(id), 'hi')));
      expect(error).toMatchObject({ kind: 'unavailable', modelId: id });
    } finally {
      emulator().setProfile(id, { resetRate: 0 });
    }
  });

  it('cancels the HTTP request when unsubscribed before the answer', async () => {
    const id = 'cohere.command-r-plus-v1:0';
    emulator().setProfile(id, { latency: { kind: 'fixed', ms: 3000 } });
    const events: string[] = [];
    bedrock().events$.subscribe((e) => events.push(e.type));
    const before = emulator().stats().models[id]?.cancelled ?? 0;
    const subscription = invoke(bedrock().model(id), 'hi').subscribe({ next: () => expect.unreachable(), error: () => expect.unreachable() });
    await until(() => (emulator().stats().models[id]?.inFlight ?? 0) === 1, 'the request to arrive');
    subscription.unsubscribe();
    await until(() => emulator().stats().models[id]!.cancelled === before + 1, 'the emulator to see the cancellation');
    expect(emulator().stats().models[id]).toMatchObject({ inFlight: 0, outputTokens: 0 });
    expect(events).toEqual(['attempt-started', 'attempt-cancelled']);
  });

  it('cancels the HTTP/2 request of a stock client passed in when unsubscribed before the answer', async () => {
    const id = 'cohere.command-r-plus-v1:0';
    emulator().setProfile(id, { latency: { kind: 'fixed', ms: 3000 } });
    const client = new BedrockRuntimeClient({ endpoint: emulator().endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    const before = emulator().stats().models[id]?.cancelled ?? 0;
    const subscription = invoke(createBedrock({ client }).model(id), 'hi').subscribe({ next: () => expect.unreachable(), error: () => expect.unreachable() });
    await until(() => (emulator().stats().models[id]?.inFlight ?? 0) === 1, 'the request to arrive');
    subscription.unsubscribe();
    await until(() => emulator().stats().models[id]!.cancelled === before + 1, 'the emulator to see the cancellation');
    expect(emulator().stats().models[id]).toMatchObject({ inFlight: 0, outputTokens: 0 });
    client.destroy();
  });

  it('uses a client passed in as is', async () => {
    const client = new BedrockRuntimeClient({ endpoint: emulator().endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    let sent = 0;
    client.middlewareStack.add(
      (next) => (args) => {
        sent++;
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
    const own = createBedrock({ client });
    expect(own.client).toBe(client);
    const response = await lastValueFrom(of(toRequest(QUESTION)).pipe(own.model('amazon.nova-micro-v1:0')));
    expect(response.text).toBe('19');
    expect(sent).toBe(1);
    client.destroy();
  });

  it('classifies a refused connection as unavailable', async () => {
    const dead = createBedrock({ endpoint: 'http://127.0.0.1:1', credentials: CREDENTIALS });
    const error = await fail(lastValueFrom(invoke(dead.model('amazon.nova-micro-v1:0'), 'hi')));
    expect(error).toMatchObject({ kind: 'unavailable', source: 'ECONNREFUSED' });
    expect(classifyError(error)).toBe(error);
    dead.client.destroy();
  });
});
