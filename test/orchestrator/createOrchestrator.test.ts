import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrchestrator, type Orchestrator, type StrategyName } from '../../src/orchestrator/createOrchestrator.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { modelErrorOfKind } from '../../src/testing/matchers.js';

const NOVA = 'amazon.nova-lite-v1:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SLOW = 'anthropic.claude-3-opus-20240229-v1:0';

describe('createOrchestrator', () => {
  let emulator: Emulator;
  let orchestrator: Orchestrator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, models: { [SLOW]: { latency: { kind: 'fixed', ms: 5_000 } } } });
    orchestrator = createOrchestrator({
      bedrock: { endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
      models: { nova: NOVA, haiku: HAIKU, slow: SLOW },
      routes: { code: 'haiku', general: 'nova' },
      defaultRoute: 'general',
      requestLogSize: 5,
    });
  });
  afterAll(async () => {
    orchestrator.close();
    await emulator.close();
  });

  it.each<StrategyName>(['fallback', 'ensemble', 'pipeline', 'hedge', 'fastest', 'adaptive', 'costTiers'])('answers through the %s strategy', async (strategy) => {
    const response = await orchestrator.process('What is 6 * 7?', { strategy, models: ['nova', 'haiku'] });
    // A pipeline's second step answers the first step's answer, so only the others are checked for the sum.
    if (strategy !== 'pipeline') expect(response.text).toBe('42');
    else expect(response.parts).toHaveLength(2);
    expect(response.attempts.length).toBeGreaterThan(0);
  });

  it('routes by task with the router', async () => {
    const response = await orchestrator.process('Write a TypeScript function that parses JSON', { strategy: 'router' });
    expect(response.modelId).toBe(HAIKU);
  });

  it('takes a whole strategy tree', async () => {
    const response = await orchestrator.process('hi', { strategy: { retry: { count: 1, model: 'nova' } } });
    expect(response.modelId).toBe(NOVA);
  });

  it('rejects bad input with a typed validation error', async () => {
    await expect(orchestrator.process({ messages: [] } as never)).rejects.toEqual(modelErrorOfKind('validation'));
  });

  it('cancels the HTTP request when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = orchestrator.process('slow one', { strategy: 'fallback', models: ['slow'], signal: controller.signal });
    await new Promise((r) => setTimeout(r, 150));
    controller.abort();
    await expect(pending).rejects.toEqual(modelErrorOfKind('cancelled'));
    await new Promise((r) => setTimeout(r, 100));
    expect(emulator.stats().models[SLOW]?.cancelled).toBe(1);
  });

  it('keeps a bounded request log and counts metrics per model', async () => {
    for (let i = 0; i < 8; i++) await orchestrator.process(`q${i}`, { strategy: 'fallback', models: ['nova'] });
    const log = orchestrator.getRequestLog();
    expect(log).toHaveLength(5);
    expect(orchestrator.getRequestLog(2)).toEqual(log.slice(3));
    expect(log.every((entry) => entry.ok && entry.modelId === NOVA)).toBe(true);
    expect(orchestrator.getMetrics().total.byModel[NOVA]!.successes).toBeGreaterThanOrEqual(8);
  });
});
