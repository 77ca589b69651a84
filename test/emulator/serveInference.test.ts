import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import * as sdk from '@aws-sdk/client-bedrock-runtime';
import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator, type Emulator } from '../../src/emulator/startEmulator.js';
import { EXCEPTION_NAMES, EXCEPTIONS } from '../../src/emulator/exceptions.js';
import { PROTOCOLS, sdkClient } from './sdkClients.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'amazon.nova-lite-v1:0';
const messages = (text: string) => [{ role: 'user' as const, content: [{ text }] }];
const anthropicBody = (text: string, max = 20) => JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: max, messages: [{ role: 'user', content: text }] });
const instant = { latency: { kind: 'fixed', ms: 0 }, firstTokenMs: { kind: 'fixed', ms: 0 }, tokensPerSecond: 0 } as const;

async function settle<T>(p: Promise<T>): Promise<{ ok: T } | { error: any }> {
  try {
    return { ok: await p };
  } catch (error) {
    return { error };
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 9 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('injected exceptions', () => {
  it.each(EXCEPTION_NAMES)('%s reaches the SDK as its own class with its status', async (name) => {
    emulator.setProfile(HAIKU, { ...instant, failures: { [name]: 1 } });
    const client = sdkClient(emulator.endpoint);
    const command =
      name === 'ModelStreamErrorException'
        ? new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody('hi') })
        : new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody('hi') });
    const result = await settle(client.send(command as InvokeModelCommand));
    expect('error' in result).toBe(true);
    const error = (result as { error: any }).error;
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf((sdk as unknown as Record<string, new () => Error>)[name]);
    expect(error.$metadata.httpStatusCode).toBe(EXCEPTIONS[name].status);
    expect(emulator.stats().models[HAIKU]).toMatchObject({ calls: 1, successes: 0, errors: { [name]: 1 }, inFlight: 0 });
  });

  it.each(PROTOCOLS)('reach Converse over %s too, and rates below 1 fail only some calls', async (protocol) => {
    emulator.setProfile(HAIKU, { ...instant, failures: { ThrottlingException: 0.5 } });
    const client = sdkClient(emulator.endpoint, protocol);
    const results = await Promise.all(Array.from({ length: 40 }, () => settle(client.send(new ConverseCommand({ modelId: HAIKU, messages: messages('hi') })))));
    const failed = results.filter((r) => 'error' in r);
    expect(failed.length).toBeGreaterThan(5);
    expect(failed.length).toBeLessThan(35);
    for (const f of failed) expect((f as { error: Error }).error.name).toBe('ThrottlingException');
    expect(emulator.stats().models[HAIKU]!.errors.ThrottlingException).toBe(failed.length);
  });
});

describe('streams', () => {
  it.each(PROTOCOLS)('a mid-stream exception is thrown from the for await (%s)', async (protocol) => {
    emulator.setProfile(NOVA, { ...instant, outputTokens: 10, streamFailure: { afterTokens: 3, exception: 'ThrottlingException', rate: 1 } });
    const out = await sdkClient(emulator.endpoint, protocol).send(new ConverseStreamCommand({ modelId: NOVA, messages: messages('story') }));
    const deltas: string[] = [];
    const iterate = async () => {
      for await (const ev of out.stream!) if (ev.contentBlockDelta) deltas.push(ev.contentBlockDelta.delta!.text!);
    };
    await expect(iterate()).rejects.toBeInstanceOf(sdk.ThrottlingException);
    expect(deltas).toHaveLength(3);
    expect(emulator.stats().models[NOVA]).toMatchObject({ errors: { ThrottlingException: 1 }, outputTokens: 3, successes: 0 });
  });

  it('InvokeModelWithResponseStream carries modelTimeoutException mid-stream', async () => {
    emulator.setProfile(HAIKU, { ...instant, streamFailure: { afterTokens: 1, exception: 'ModelTimeoutException', rate: 1 } });
    const out = await sdkClient(emulator.endpoint).send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody('a story', 5) }));
    const iterate = async () => {
      for await (const ev of out.body!) void ev;
    };
    await expect(iterate()).rejects.toMatchObject({ name: 'ModelTimeoutException' });
  });

  it('ConverseStream gets ModelStreamErrorException in the stream', async () => {
    emulator.setProfile(NOVA, { ...instant, failures: { ModelStreamErrorException: 1 } });
    const out = await sdkClient(emulator.endpoint).send(new ConverseStreamCommand({ modelId: NOVA, messages: messages('story') }));
    const iterate = async () => {
      for await (const ev of out.stream!) void ev;
    };
    await expect(iterate()).rejects.toBeInstanceOf(sdk.ModelStreamErrorException);
  });

  it.each(PROTOCOLS)('an abort mid-stream counts as cancelled and stops billing at once (%s)', async (protocol) => {
    emulator.setProfile(NOVA, { ...instant, tokensPerSecond: 100, outputTokens: 300 });
    const abort = new AbortController();
    const out = await sdkClient(emulator.endpoint, protocol).send(new ConverseStreamCommand({ modelId: NOVA, messages: messages('story') }), { abortSignal: abort.signal });
    let seen = 0;
    try {
      for await (const ev of out.stream!) {
        if (ev.contentBlockDelta && ++seen === 3) abort.abort();
      }
    } catch {
      // HTTP/1.1 ends the iterator with an error, HTTP/2 ends it silently (wire reference §6)
    }
    expect(abort.signal.aborted).toBe(true);
    await until(() => emulator.stats().models[NOVA]!.cancelled === 1);
    const billed = emulator.stats().models[NOVA]!;
    expect(billed).toMatchObject({ cancelled: 1, successes: 0, inFlight: 0 });
    expect(billed.outputTokens).toBeGreaterThanOrEqual(3);
    expect(billed.outputTokens).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 100));
    expect(emulator.stats().models[NOVA]!.outputTokens).toBe(billed.outputTokens);
  });

  it('an abort while the model is still thinking is cancelled and bills no output', async () => {
    emulator.setProfile(HAIKU, { latency: { kind: 'fixed', ms: 5_000 } });
    const abort = new AbortController();
    const sent = settle(sdkClient(emulator.endpoint).send(new ConverseCommand({ modelId: HAIKU, messages: messages('hi') }), { abortSignal: abort.signal }));
    await until(() => emulator.stats().models[HAIKU]!.inFlight === 1);
    abort.abort();
    expect(((await sent) as { error: Error }).error.name).toBe('AbortError');
    await until(() => emulator.stats().models[HAIKU]!.cancelled === 1);
    expect(emulator.stats().models[HAIKU]).toMatchObject({ cancelled: 1, inFlight: 0, outputTokens: 0 });
  });

  it('a stall goes silent for its ms, then the stream completes', async () => {
    emulator.setProfile(NOVA, { ...instant, outputTokens: 5, stallAfterTokens: { afterTokens: 2, ms: 150, rate: 1 } });
    const out = await sdkClient(emulator.endpoint).send(new ConverseStreamCommand({ modelId: NOVA, messages: messages('story') }));
    let deltas = 0;
    let latencyMs = 0;
    for await (const ev of out.stream!) {
      if (ev.contentBlockDelta) deltas++;
      if (ev.metadata) latencyMs = ev.metadata.metrics!.latencyMs!;
    }
    expect(deltas).toBe(5);
    expect(latencyMs).toBeGreaterThanOrEqual(140);
  });
});

describe('quotas', () => {
  it.each(PROTOCOLS)('rpm throttles with ThrottlingException past the quota (%s)', async (protocol) => {
    emulator.setProfile(HAIKU, { ...instant, rpm: 3 });
    const client = sdkClient(emulator.endpoint, protocol);
    const results: ({ ok: unknown } | { error: any })[] = [];
    for (let i = 0; i < 5; i++) results.push(await settle(client.send(new ConverseCommand({ modelId: HAIKU, messages: messages('hi') }))));
    expect(results.map((r) => ('ok' in r ? 'ok' : r.error.name))).toEqual(['ok', 'ok', 'ok', 'ThrottlingException', 'ThrottlingException']);
    expect((results[3] as { error: any }).error.message).toBe('Too many requests, please wait before trying again.');
    expect((results[3] as { error: any }).error.$metadata.httpStatusCode).toBe(429);
    expect(emulator.stats().models[HAIKU]).toMatchObject({ calls: 5, successes: 3, throttles: 2, errors: { ThrottlingException: 2 } });
  });

  it('tpm counts input and output tokens', async () => {
    emulator.setProfile(HAIKU, { ...instant, tpm: 30 });
    const client = sdkClient(emulator.endpoint);
    const first = await client.send(new ConverseCommand({ modelId: HAIKU, messages: messages('x'.repeat(40)), inferenceConfig: { maxTokens: 10 } }));
    expect(first.usage).toMatchObject({ inputTokens: 10, outputTokens: 10 });
    const second = await settle(client.send(new ConverseCommand({ modelId: HAIKU, messages: messages('x'.repeat(60)) })));
    expect((second as { error: any }).error.message).toBe('Too many tokens, please wait before trying again.');
    await client.send(new ConverseCommand({ modelId: HAIKU, messages: messages('x'.repeat(20)), inferenceConfig: { maxTokens: 1 } }));
  });
});

describe('other faults and checks', () => {
  it('resetRate destroys the connection and the server keeps serving', async () => {
    emulator.setProfile(HAIKU, { ...instant, resetRate: 1 });
    for (const protocol of PROTOCOLS) {
      const result = await settle(sdkClient(emulator.endpoint, protocol).send(new ConverseCommand({ modelId: HAIKU, messages: messages('hi') })));
      expect('error' in result).toBe(true);
    }
    expect(emulator.stats().models[HAIKU]).toMatchObject({ resets: 2, cancelled: 0, inFlight: 0 });
    emulator.setProfile(HAIKU, { resetRate: 0 });
    await sdkClient(emulator.endpoint).send(new ConverseCommand({ modelId: HAIKU, messages: messages('hi') }));
  });

  it('malformedRate sends replies that are not valid for the family', async () => {
    emulator.setProfile(HAIKU, { ...instant, malformedRate: 1 });
    const client = sdkClient(emulator.endpoint);
    const converse = await client.send(new ConverseCommand({ modelId: HAIKU, messages: messages('hi') }));
    expect(converse.stopReason).toBe('malformed_model_output');
    expect(converse.output?.message?.content).toEqual([]);
    const invoke = await client.send(new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody('hi') }));
    expect(() => JSON.parse(new TextDecoder().decode(invoke.body))).toThrow(SyntaxError);
    const stream = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody('hi') }));
    const bad: string[] = [];
    for await (const ev of stream.body!) {
      const text = new TextDecoder().decode(ev.chunk!.bytes);
      try {
        JSON.parse(text);
      } catch {
        bad.push(text);
      }
    }
    expect(bad).toHaveLength(1);
    expect(emulator.stats().models[HAIKU]).toMatchObject({ malformed: 3, successes: 3 });
  });

  it('text-only models reject images, and the context window is enforced', async () => {
    const client = sdkClient(emulator.endpoint);
    const image = { image: { format: 'png' as const, source: { bytes: new Uint8Array([1, 2, 3]) } } };
    const titan = await settle(client.send(new ConverseCommand({ modelId: 'amazon.titan-text-lite-v1', messages: [{ role: 'user', content: [{ text: 'what is this' }, image] }] })));
    expect((titan as { error: any }).error).toBeInstanceOf(sdk.ValidationException);
    await client.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'what is this' }, image] }] }));
    emulator.setProfile(HAIKU, { contextWindow: 5 });
    const long = await settle(client.send(new ConverseCommand({ modelId: HAIKU, messages: messages('x'.repeat(100)) })));
    expect((long as { error: any }).error.message).toBe('Input is too long for requested model.');
  });

  it('waits for the sampled latency before answering', async () => {
    emulator.setProfile(HAIKU, { latency: { kind: 'fixed', ms: 60 } });
    const out = await sdkClient(emulator.endpoint).send(new ConverseCommand({ modelId: HAIKU, messages: messages('hi') }));
    expect(out.metrics?.latencyMs).toBeGreaterThanOrEqual(55);
  });
});
