import { ConverseStreamCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { asyncScheduler, filter, firstValueFrom, lastValueFrom, of, take, toArray, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createBedrock } from '../../src/bedrock/createBedrock.js';
import { DEFAULT_CATALOG } from '../../src/bedrock/catalog.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { invoke } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import { converseOutput, fakeClient, hangUntilAborted } from './fakeClient.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

/** A scheduler whose clock reads the given times in turn. */
function clock(...times: number[]): SchedulerLike {
  let i = 0;
  return { now: () => times[Math.min(i++, times.length - 1)]!, schedule: asyncScheduler.schedule.bind(asyncScheduler) };
}

function recorded(bedrock: { events$: import('rxjs').Observable<RuntimeEvent> }): RuntimeEvent[] {
  const events: RuntimeEvent[] = [];
  bedrock.events$.subscribe((e) => events.push(e));
  return events;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createBedrock options', () => {
  const bad: [string, unknown, RegExp][] = [
    ['an unknown key', { regoin: 'us-east-1' }, /options\.regoin: unknown option/],
    ['a bad endpoint', { endpoint: 'localhost:1234' }, /options\.endpoint/],
    ['a bad region', { region: 'US East' }, /options\.region/],
    ['bad credentials', { credentials: { accessKeyId: 'x' } }, /options\.credentials/],
    ['a client that is not one', { client: {} }, /options\.client/],
    ['a client with an endpoint', { client: fakeClient(() => Promise.resolve()).client, endpoint: 'http://127.0.0.1:1' }, /options\.endpoint/],
    ['a bad scheduler', { scheduler: {} }, /options\.scheduler/],
    ['a bad event bus', { events: { emit: 1 } }, /options\.events/],
    ['a non-boolean includeContent', { includeContent: 'yes' }, /options\.includeContent/],
    ['a bad catalog entry', { catalog: { 'acme.m': { family: 'nova' } } }, /catalog\.acme\.m\.provider/],
    ['a non-object', 'fast', /expected an options object/],
  ];
  it.each(bad)('rejects %s with a TypeError naming it', (_, options, message) => {
    expect(() => createBedrock(options as never)).toThrow(TypeError);
    expect(() => createBedrock(options as never)).toThrow(message);
  });

  it('uses a given client as is and merges the catalog', () => {
    const { client } = fakeClient(() => Promise.resolve());
    const extra = { ...DEFAULT_CATALOG['amazon.nova-micro-v1:0']!, inputPer1k: 1 };
    const bedrock = createBedrock({ client, catalog: { 'acme.model-v1': extra } });
    expect(bedrock.client).toBe(client);
    expect(bedrock.catalog['acme.model-v1']).toEqual(extra);
    expect(bedrock.catalog[HAIKU]).toBe(DEFAULT_CATALOG[HAIKU]);
  });

  it('uses the given event bus', () => {
    const events = createEventBus();
    const bedrock = createBedrock({ client: fakeClient(() => Promise.resolve()).client, events });
    expect(bedrock.events).toBe(events);
    expect(bedrock.events$).toBe(events.events$);
  });
});

describe('model options', () => {
  const bedrock = createBedrock({ client: fakeClient(() => Promise.resolve()).client });
  it.each([
    ['an empty model id', '', undefined, /modelId: expected a non-empty string/],
    ['an unknown api', HAIKU, { api: 'chat' }, /options\.api: expected "converse" or "invoke"/],
    ['an unknown key', HAIKU, { temperature: 1 }, /options\.temperature: unknown option/],
    ['a bad inference config', HAIKU, { inferenceConfig: { temperature: 3 } }, /options\.inferenceConfig\.temperature: expected a number in \[0, 1\]/],
    ['a non-string system', HAIKU, { system: 1 }, /options\.system/],
    ['invoke for a family without a codec', 'stability.sd3-large-v1:0', { api: 'invoke' }, /no InvokeModel codec/],
  ])('rejects %s with a TypeError when the model is created', (_, id, options, message) => {
    expect(() => bedrock.model(id, options as never)).toThrow(message);
    expect(() => bedrock.streamingModel(id, options as never)).toThrow(TypeError);
  });

  it('refuses a streaming model the catalog says cannot stream', () => {
    const entry = DEFAULT_CATALOG['amazon.nova-micro-v1:0']!;
    const custom = createBedrock({
      client: fakeClient(() => Promise.resolve()).client,
      catalog: { 'acme.batch-only-v1': { ...entry, capabilities: { ...entry.capabilities, streaming: false } } },
    });
    expect(() => custom.streamingModel('acme.batch-only-v1')).toThrow(/does not stream/);
    expect(custom.model('acme.batch-only-v1')).toBeTypeOf('function');
  });

  it('takes the invoke family of an unknown id from the catalog', () => {
    const custom = createBedrock({
      client: fakeClient(() => Promise.resolve()).client,
      catalog: { 'acme.llama-fine-tune-v1': { ...DEFAULT_CATALOG['meta.llama3-8b-instruct-v1:0']! } },
    });
    expect(custom.model('acme.llama-fine-tune-v1', { api: 'invoke' })).toBeTypeOf('function');
  });
});

describe('model', () => {
  it('answers with text, usage, cost from the catalog, latency on the scheduler clock and one attempt', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve(converseOutput('Four', { inputTokens: 1000, outputTokens: 2000 })));
    const bedrock = createBedrock({ client, scheduler: clock(100, 130) });
    const response = await lastValueFrom(invoke(bedrock.model(`us.${HAIKU}`), { id: 'r1', prompt: 'What is 2+2?' }));
    expect(response).toEqual({
      requestId: 'r1',
      modelId: `us.${HAIKU}`,
      text: 'Four',
      message: { role: 'assistant', content: [{ text: 'Four' }] },
      stopReason: 'end_turn',
      usage: { inputTokens: 1000, outputTokens: 2000 },
      latencyMs: 30,
      costUsd: 0.00025 + 2 * 0.00125,
      attempts: [{ modelId: `us.${HAIKU}`, outcome: 'success', latencyMs: 30 }],
    });
    expect(calls[0]!.command.constructor.name).toBe('ConverseCommand');
    expect(calls[0]!.signal.aborted).toBe(false);
  });

  it('leaves costUsd out for a model not in the catalog', async () => {
    const { client } = fakeClient(() => Promise.resolve(converseOutput('x')));
    const response = await lastValueFrom(invoke(createBedrock({ client }).model('acme.model-v1'), 'hi'));
    expect(response.costUsd).toBeUndefined();
  });

  it('merges inference config defaults under the request and uses the default system prompt', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve(converseOutput('x')));
    const model = createBedrock({ client }).model(HAIKU, { inferenceConfig: { maxTokens: 100, temperature: 0.1 }, system: 'Be brief' });
    await lastValueFrom(invoke(model, { prompt: 'hi', inferenceConfig: { temperature: 0.9 } }));
    await lastValueFrom(invoke(model, { prompt: 'hi', system: 'Be long' }));
    expect(calls[0]!.command.input).toMatchObject({ modelId: HAIKU, inferenceConfig: { maxTokens: 100, temperature: 0.9 }, system: [{ text: 'Be brief' }] });
    expect(calls[1]!.command.input).toMatchObject({ system: [{ text: 'Be long' }] });
    expect(calls[0]!.command.input.messages).toEqual([{ role: 'user', content: [{ text: 'hi' }] }]);
  });

  it('emits attempt events with the request id, usage and cost, and content only when asked', async () => {
    for (const includeContent of [false, true]) {
      const { client } = fakeClient(() => Promise.resolve(converseOutput('Four')));
      const bedrock = createBedrock({ client, scheduler: clock(5, 9), includeContent, credentials: undefined });
      const events = recorded(bedrock);
      await lastValueFrom(invoke(bedrock.model(HAIKU), { id: 'r1', prompt: 'hi' }));
      expect(events).toEqual([
        { type: 'attempt-started', time: 5, requestId: 'r1', modelId: HAIKU, api: 'converse' },
        {
          type: 'attempt-succeeded',
          time: 9,
          requestId: 'r1',
          modelId: HAIKU,
          latencyMs: 4,
          usage: { inputTokens: 10, outputTokens: 4 },
          costUsd: expect.any(Number),
          ...(includeContent ? { content: 'Four' } : {}),
        },
      ]);
    }
  });

  it('classifies SDK errors and reports attempt-failed without credentials', async () => {
    const { client } = fakeClient(() => Promise.reject(new ThrottlingException({ message: 'Too many tokens', $metadata: { httpStatusCode: 429 } })));
    const bedrock = createBedrock({ client, scheduler: clock(1, 3) });
    const events = recorded(bedrock);
    const error = await lastValueFrom(invoke(bedrock.model(HAIKU), { id: 'r1', prompt: 'hi' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ModelError', kind: 'throttled', httpStatus: 429, modelId: HAIKU, requestId: 'r1', source: 'ThrottlingException' });
    expect(events[1]).toEqual({
      type: 'attempt-failed',
      time: 3,
      requestId: 'r1',
      modelId: HAIKU,
      latencyMs: 2,
      errorKind: 'throttled',
      message: 'ThrottlingException: Too many tokens',
    });
  });

  it('turns an output that does not decode into invalid-output with the path report', async () => {
    const { client } = fakeClient(() => Promise.resolve({ output: { message: { content: [] } }, stopReason: 'malformed_model_output', usage: { inputTokens: 1, outputTokens: 1 } }));
    const error = await lastValueFrom(invoke(createBedrock({ client }).model(HAIKU), 'hi')).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid-output', details: [expect.stringMatching(/^stopReason: expected a stop reason, got "malformed_model_output"/)] });
  });

  it('turns content the invoke family cannot take into a validation error before sending', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve());
    const request = toRequest({ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array([1]) } } }] }] });
    const error = await lastValueFrom(of(request).pipe(createBedrock({ client }).model('meta.llama3-8b-instruct-v1:0', { api: 'invoke' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'validation', modelId: 'meta.llama3-8b-instruct-v1:0' });
    expect(calls).toHaveLength(0);
  });

  it('runs requests fed to one operator concurrently', async () => {
    const resolvers: (() => void)[] = [];
    const { client, calls } = fakeClient(() => new Promise((resolve) => resolvers.push(() => resolve(converseOutput(`a${resolvers.length}`)))));
    const all = lastValueFrom(of(toRequest({ id: 'a', prompt: '1' }), toRequest({ id: 'b', prompt: '2' })).pipe(createBedrock({ client }).model(HAIKU), toArray()));
    await tick();
    expect(calls).toHaveLength(2);
    resolvers[1]!();
    resolvers[0]!();
    expect((await all).map((r) => r.requestId)).toEqual(['b', 'a']);
  });

  it('aborts the request when unsubscribed before the answer, and reports attempt-cancelled', async () => {
    const { client, calls } = fakeClient(({ signal }) => hangUntilAborted(signal));
    const bedrock = createBedrock({ client, scheduler: clock(0, 7) });
    const events = recorded(bedrock);
    const subscription = invoke(bedrock.model(HAIKU), { id: 'r1', prompt: 'hi' }).subscribe({ error: () => expect.unreachable() });
    await tick();
    subscription.unsubscribe();
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['attempt-started', 'attempt-cancelled']);
    expect(events[1]).toMatchObject({ requestId: 'r1', latencyMs: 7 });
  });

  it('never aborts after the answer, even when the consumer leaves on it', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve(converseOutput('x')));
    const bedrock = createBedrock({ client });
    const events = recorded(bedrock);
    await firstValueFrom(invoke(bedrock.model(HAIKU), 'hi').pipe(take(1)));
    expect(calls[0]!.signal.aborted).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['attempt-started', 'attempt-succeeded']);
  });
});

describe('streamingModel', () => {
  async function* events(...items: unknown[]) {
    for (const item of items) yield item;
  }
  const full = () =>
    events(
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { delta: { text: 'Fo' }, contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { text: 'ur' }, contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn' } },
      { metadata: { usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 }, metrics: { latencyMs: 1 } } },
    );

  it('emits a delta per chunk then completed with usage from metadata', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve({ stream: full() }));
    const out = await lastValueFrom(of(toRequest({ id: 'r1', prompt: 'hi' })).pipe(createBedrock({ client, scheduler: clock(0, 4) }).streamingModel(HAIKU), toArray()));
    expect(out).toEqual([
      { type: 'delta', requestId: 'r1', modelId: HAIKU, text: 'Fo' },
      { type: 'delta', requestId: 'r1', modelId: HAIKU, text: 'ur' },
      { type: 'completed', response: expect.objectContaining({ text: 'Four', stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 2 }, latencyMs: 4 }) },
    ]);
    expect(calls[0]!.command).toBeInstanceOf(ConverseStreamCommand);
  });

  it('fails a stream that ends before messageStop as unavailable (StreamTruncated), never as a success', async () => {
    const { client } = fakeClient(() => Promise.resolve({ stream: events({ contentBlockDelta: { delta: { text: 'Fo' }, contentBlockIndex: 0 } }) }));
    const out: unknown[] = [];
    const error = await lastValueFrom(of(toRequest('hi')).pipe(createBedrock({ client }).streamingModel(HAIKU))).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable', source: 'StreamTruncated', modelId: HAIKU });
    expect(out).toEqual([]);
  });

  it('maps an in-stream exception like a unary one', async () => {
    async function* failing() {
      yield { contentBlockDelta: { delta: { text: 'Fo' }, contentBlockIndex: 0 } };
      throw new ThrottlingException({ message: 'slow down', $metadata: {} });
    }
    const { client } = fakeClient(() => Promise.resolve({ stream: failing() }));
    const error = await lastValueFrom(of(toRequest('hi')).pipe(createBedrock({ client }).streamingModel(HAIKU))).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'throttled', source: 'ThrottlingException' });
  });

  it('reports an event that does not decode as invalid-output', async () => {
    const { client } = fakeClient(() => Promise.resolve({ stream: events({ messageStop: { stopReason: 'bored' } }) }));
    const error = await lastValueFrom(of(toRequest('hi')).pipe(createBedrock({ client }).streamingModel(HAIKU))).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid-output', details: expect.arrayContaining([expect.stringMatching(/stopReason/)]) });
  });

  it('aborts mid-stream on unsubscribe; the silently ended stream is not reported as a success', async () => {
    let release!: () => void;
    async function* slow(signal: AbortSignal) {
      yield { contentBlockDelta: { delta: { text: 'Fo' }, contentBlockIndex: 0 } };
      await new Promise<void>((resolve) => {
        release = resolve;
        signal.addEventListener('abort', () => resolve());
      });
      // like the SDK: an aborted stream just ends
    }
    const { client, calls } = fakeClient(({ signal }) => Promise.resolve({ stream: slow(signal) }));
    const bedrock = createBedrock({ client });
    const events$: RuntimeEvent[] = recorded(bedrock);
    const seen: string[] = [];
    const subscription = of(toRequest('hi')).pipe(bedrock.streamingModel(HAIKU)).subscribe({ next: (e) => seen.push(e.type), error: () => seen.push('error') });
    await tick();
    expect(seen).toEqual(['delta']);
    subscription.unsubscribe();
    await tick();
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(release).toBeTypeOf('function');
    expect(seen).toEqual(['delta']);
    expect(events$.map((e) => e.type)).toEqual(['attempt-started', 'attempt-cancelled']);
  });

  it('never aborts once completed, even when the consumer leaves on it', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve({ stream: full() }));
    const bedrock = createBedrock({ client });
    const events$ = recorded(bedrock);
    await firstValueFrom(of(toRequest('hi')).pipe(bedrock.streamingModel(HAIKU), filter((e) => e.type === 'completed'), take(1)));
    expect(calls[0]!.signal.aborted).toBe(false);
    expect(events$.map((e) => e.type)).toEqual(['attempt-started', 'attempt-succeeded']);
  });

  it('streams through InvokeModelWithResponseStream with the family codec and invocation metrics', async () => {
    const chunk = (json: unknown) => ({ chunk: { bytes: new TextEncoder().encode(JSON.stringify(json)) } });
    const { client, calls } = fakeClient(() =>
      Promise.resolve({
        body: events(
          chunk({ generation: 'Fo', prompt_token_count: null, generation_token_count: 1, stop_reason: null }),
          chunk({ generation: 'ur', prompt_token_count: null, generation_token_count: 2, stop_reason: 'stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 7, outputTokenCount: 2, invocationLatency: 1, firstByteLatency: 1 } }),
        ),
      }),
    );
    const out = await lastValueFrom(of(toRequest('hi')).pipe(createBedrock({ client }).streamingModel('meta.llama3-8b-instruct-v1:0', { api: 'invoke' }), toArray()));
    expect(out.map((e) => (e.type === 'delta' ? e.text : e.type))).toEqual(['Fo', 'ur', 'completed']);
    expect(out[2]).toMatchObject({ response: { text: 'Four', usage: { inputTokens: 7, outputTokens: 2 }, stopReason: 'end_turn' } });
    expect(calls[0]!.command.constructor.name).toBe('InvokeModelWithResponseStreamCommand');
  });
});

describe('model identity', () => {
  it('model operators carry their model id, so strategies name attempts and events by it', () => {
    const bedrock = createBedrock({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(bedrock.model('amazon.nova-lite-v1:0').modelId).toBe('amazon.nova-lite-v1:0');
    expect(bedrock.streamingModel('amazon.nova-lite-v1:0').modelId).toBe('amazon.nova-lite-v1:0');
  });
});
