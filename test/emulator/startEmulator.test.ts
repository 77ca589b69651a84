import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import {
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { startEmulator, type Emulator } from '../../src/emulator/startEmulator.js';
import { DEFAULT_PROFILES } from '../../src/emulator/catalog.js';
import { PROTOCOLS, sdkClient } from './sdkClients.js';

const Q = 'What is 2 + 3?';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

/** One request body per family and how to read the answer (and a stream chunk's text) back. */
const FAMILIES: Record<string, { modelId: string; body: unknown; text: (b: any) => string; chunk: (c: any) => string }> = {
  'anthropic-messages': {
    modelId: HAIKU,
    body: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: [{ type: 'text', text: Q }] }] },
    text: (b) => b.content[0].text,
    chunk: (c) => (c.type === 'content_block_delta' ? c.delta.text : ''),
  },
  'anthropic-text': {
    modelId: 'anthropic.claude-v2:1',
    body: { prompt: `\n\nHuman: ${Q}\n\nAssistant:`, max_tokens_to_sample: 50 },
    text: (b) => b.completion.trim(),
    chunk: (c) => c.completion,
  },
  'titan-text': { modelId: 'amazon.titan-text-express-v1', body: { inputText: `User: ${Q}\nBot:` }, text: (b) => b.results[0].outputText, chunk: (c) => c.outputText },
  nova: {
    modelId: 'us.amazon.nova-micro-v1:0',
    body: { schemaVersion: 'messages-v1', messages: [{ role: 'user', content: [{ text: Q }] }], inferenceConfig: { maxTokens: 50 } },
    text: (b) => b.output.message.content[0].text,
    chunk: (c) => c.contentBlockDelta?.delta.text ?? '',
  },
  llama: {
    modelId: 'meta.llama3-70b-instruct-v1:0',
    body: { prompt: `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n${Q}<|eot_id|>\n<|start_header_id|>assistant<|end_header_id|>\n`, max_gen_len: 50 },
    text: (b) => b.generation,
    chunk: (c) => c.generation,
  },
  mistral: { modelId: 'mistral.mistral-7b-instruct-v0:2', body: { prompt: `<s>[INST] ${Q} [/INST]`, max_tokens: 50 }, text: (b) => b.outputs[0].text, chunk: (c) => c.outputs[0].text },
  'cohere-command-r': { modelId: 'cohere.command-r-v1:0', body: { message: Q }, text: (b) => b.text, chunk: (c) => (c.event_type === 'text-generation' ? c.text : '') },
  jamba: {
    modelId: 'ai21.jamba-1-5-mini-v1:0',
    body: { messages: [{ role: 'user', content: Q }], max_tokens: 50 },
    text: (b) => b.choices[0].message.content,
    chunk: (c) => c.choices[0].delta.content ?? '',
  },
};

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 3, models: Object.fromEntries(Object.keys(DEFAULT_PROFILES).map((id) => [id, { accuracy: 1 }])) });
});
afterAll(() => emulator.close());

describe.each(PROTOCOLS)('the unmodified SDK over %s', (protocol) => {
  it('Converse answers with the deterministic responder and Bedrock usage', async () => {
    const client = sdkClient(emulator.endpoint, protocol);
    const out = await client.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'What is 12 + 7?' }] }] }));
    expect(out.output?.message).toEqual({ role: 'assistant', content: [{ text: '19' }] });
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage).toEqual({ inputTokens: 4, outputTokens: 1, totalTokens: 5 });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ConverseStream sends messageStart, one delta per token, messageStop and metadata', async () => {
    const client = sdkClient(emulator.endpoint, protocol);
    const out = await client.send(new ConverseStreamCommand({ modelId: 'us.amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'Tell me a story' }] }], inferenceConfig: { maxTokens: 6 } }));
    const kinds: string[] = [];
    let text = '';
    for await (const ev of out.stream!) {
      kinds.push(Object.keys(ev)[0]!);
      text += ev.contentBlockDelta?.delta?.text ?? '';
      if (ev.metadata) expect(ev.metadata.usage).toEqual({ inputTokens: 4, outputTokens: 6, totalTokens: 10 });
      if (ev.messageStop) expect(ev.messageStop.stopReason).toBe('max_tokens');
    }
    expect(kinds).toEqual(['messageStart', ...Array(6).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata']);
    expect(text.split(' ')).toHaveLength(6);
  });

  it.each(Object.entries(FAMILIES))('InvokeModel speaks the %s native body', async (_family, f) => {
    const client = sdkClient(emulator.endpoint, protocol);
    const out = await client.send(new InvokeModelCommand({ modelId: f.modelId, body: JSON.stringify(f.body) }));
    expect(out.contentType).toBe('application/json');
    expect(f.text(JSON.parse(new TextDecoder().decode(out.body)))).toBe('5');
  });

  it.each(Object.entries(FAMILIES))('InvokeModelWithResponseStream streams %s native chunks', async (_family, f) => {
    const client = sdkClient(emulator.endpoint, protocol);
    const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: f.modelId, body: JSON.stringify({ ...(f.body as object) }), contentType: 'application/json' }));
    expect(out.contentType).toBe('application/json');
    const chunks: any[] = [];
    for await (const ev of out.body!) chunks.push(JSON.parse(new TextDecoder().decode(ev.chunk!.bytes)));
    expect(chunks.map(f.chunk).join('')).toBe('5');
    expect(chunks.at(-1)['amazon-bedrock-invocationMetrics']).toMatchObject({ outputTokenCount: 1 });
  });

  it('CountTokens counts Converse and native input like the bill', async () => {
    const client = sdkClient(emulator.endpoint, protocol);
    const converse = await client.send(new CountTokensCommand({ modelId: HAIKU, input: { converse: { messages: [{ role: 'user', content: [{ text: 'x'.repeat(40) }] }] } } }));
    expect(converse.inputTokens).toBe(10);
    const native = await client.send(new CountTokensCommand({ modelId: HAIKU, input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify(FAMILIES['anthropic-messages']!.body)) } } }));
    expect(native.inputTokens).toBe(4);
  });
});

describe('startEmulator', () => {
  it('checks its options', async () => {
    await expect(startEmulator({ port: -1 })).rejects.toThrow(/^port: /);
    await expect(startEmulator({ seed: 1.5 })).rejects.toThrow(/^seed: /);
    await expect(startEmulator({ models: { [HAIKU]: { accuracy: 2 } } })).rejects.toThrow(TypeError);
    await expect(startEmulator({ models: { [HAIKU]: { accuracy: 2 } } })).rejects.toThrow(/models\.anthropic\.claude-3-haiku-20240307-v1:0\.accuracy/);
  });

  it('counts per model and in total, and resets', async () => {
    const own = await startEmulator();
    try {
      const client = sdkClient(own.endpoint);
      await client.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'What is 1 + 1?' }] }] }));
      await client.send(new ConverseCommand({ modelId: `us.${HAIKU}`, messages: [{ role: 'user', content: [{ text: 'What is 1 + 1?' }] }] }));
      const stats = own.stats();
      expect(stats.models[HAIKU]).toMatchObject({ calls: 2, successes: 2, inputTokens: 8, outputTokens: 2, cancelled: 0, inFlight: 0, peakConcurrency: 1 });
      expect(stats.totals).toMatchObject({ calls: 2, successes: 2 });
      own.setProfile(HAIKU, { accuracy: 0 });
      own.reset();
      expect(own.stats().totals.calls).toBe(0);
      const again = await client.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'What is 100 + 1?' }] }] }));
      expect(['101', '100', '102']).toContain(again.output?.message?.content?.[0]?.text);
      expect(() => own.setProfile(HAIKU, { tokensPerSecond: -1 })).toThrow(TypeError);
    } finally {
      await own.close();
    }
  });

  it('makes the same random choices for the same seed', async () => {
    const outcomes = async (seed: number): Promise<string> => {
      const own = await startEmulator({ seed, models: { [HAIKU]: { latency: { kind: 'fixed', ms: 0 }, failures: { ThrottlingException: 0.3, ModelErrorException: 0.2 } } } });
      try {
        const client = sdkClient(own.endpoint, 'http1');
        let trail = '';
        for (let i = 0; i < 24; i++) {
          trail += await client.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).then(
            () => '.',
            (e: Error) => e.name[0],
          );
        }
        return trail;
      } finally {
        await own.close();
      }
    };
    const a = await outcomes(5);
    expect(a).toMatch(/T/);
    expect(a).toMatch(/M/);
    expect(await outcomes(5)).toBe(a);
    expect(await outcomes(6)).not.toBe(a);
  });

  it('accepts foundation-model and inference-profile ARNs as model ids', async () => {
    const client = sdkClient(emulator.endpoint);
    for (const modelId of ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0', 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0']) {
      const out = await client.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'What is 9 * 9?' }] }] }));
      expect(out.output?.message?.content?.[0]?.text).toBe('81');
    }
    expect(emulator.stats().models['amazon.nova-pro-v1:0']!.successes).toBeGreaterThanOrEqual(2);
  });

  it('a reset while a request is in flight leaves the new counters clean', async () => {
    const own = await startEmulator({ models: { [HAIKU]: { latency: { kind: 'fixed', ms: 100 } } } });
    try {
      const pending = sdkClient(own.endpoint).send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
      for (let i = 0; i < 100 && own.stats().totals.inFlight === 0; i++) await new Promise((r) => setTimeout(r, 5));
      own.reset();
      own.setProfile(HAIKU, { latency: { kind: 'fixed', ms: 100 } });
      await pending;
      expect(own.stats().totals).toMatchObject({ calls: 0, successes: 0, inFlight: 0, outputTokens: 0 });
      expect(own.stats().models[HAIKU]).toMatchObject({ calls: 0, inFlight: 0 });
    } finally {
      await own.close();
    }
  });

  it('tracks peak concurrency', async () => {
    const own = await startEmulator({ models: { [HAIKU]: { latency: { kind: 'fixed', ms: 80 } } } });
    try {
      const client = sdkClient(own.endpoint, 'http1');
      await Promise.all(Array.from({ length: 5 }, () => client.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))));
      expect(own.stats().models[HAIKU]).toMatchObject({ calls: 5, successes: 5, peakConcurrency: 5, inFlight: 0 });
    } finally {
      await own.close();
    }
  });
});
