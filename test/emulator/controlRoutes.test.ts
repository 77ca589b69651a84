import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator, type Emulator } from '../../src/emulator/startEmulator.js';
import { DEFAULT_PROFILES } from '../../src/emulator/catalog.js';
import { rawPost, sdkClient } from './sdkClients.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const ask = (modelId: string) => sdkClient(emulator.endpoint).send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'What is 3 + 3?' }] }] }));

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('the HTTP control API', () => {
  it('GET /_emulator/stats returns the counters', async () => {
    await ask(HAIKU);
    const r = await rawPost(emulator.endpoint, '/_emulator/stats', '', {}, 'GET');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual(emulator.stats());
    expect(JSON.parse(r.body).models[HAIKU]).toMatchObject({ calls: 1, successes: 1 });
  });

  it('PUT /_emulator/models/{id} changes a profile at run time', async () => {
    const r = await rawPost(emulator.endpoint, `/_emulator/models/${encodeURIComponent(HAIKU)}`, JSON.stringify({ failures: { ThrottlingException: 1 } }), { 'content-type': 'application/json' }, 'PUT');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).profile.failures).toEqual({ ThrottlingException: 1 });
    await expect(ask(HAIKU)).rejects.toMatchObject({ name: 'ThrottlingException' });
    const models = JSON.parse((await rawPost(emulator.endpoint, '/_emulator/models', '', {}, 'GET')).body);
    expect(models[HAIKU].failures).toEqual({ ThrottlingException: 1 });
  });

  it('PUT adds a model that Converse can then use', async () => {
    const r = await rawPost(emulator.endpoint, '/_emulator/models/acme.custom-v1', JSON.stringify({ accuracy: 1 }), {}, 'PUT');
    expect(r.status).toBe(200);
    expect((await ask('acme.custom-v1')).output?.message?.content?.[0]?.text).toBe('6');
  });

  it('a bad profile is a 400 naming the path', async () => {
    const bad = await rawPost(emulator.endpoint, `/_emulator/models/${HAIKU}`, JSON.stringify({ latency: { kind: 'fixed', ms: -1 } }), {}, 'PUT');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toMatch(/latency/);
    const unknown = await rawPost(emulator.endpoint, `/_emulator/models/${HAIKU}`, JSON.stringify({ speed: 3 }), {}, 'PUT');
    expect(JSON.parse(unknown.body).message).toMatch(/anthropic\.claude-3-haiku-20240307-v1:0\.speed: unknown key/);
    const notJson = await rawPost(emulator.endpoint, `/_emulator/models/${HAIKU}`, '{', {}, 'PUT');
    expect(notJson.status).toBe(400);
  });

  it('POST /_emulator/reset puts counters and profiles back', async () => {
    const r = await rawPost(emulator.endpoint, '/_emulator/reset', '', {}, 'POST');
    expect(r.status).toBe(200);
    expect(emulator.stats().totals.calls).toBe(0);
    const models = JSON.parse((await rawPost(emulator.endpoint, '/_emulator/models', '', {}, 'GET')).body);
    expect(models[HAIKU]).toEqual(DEFAULT_PROFILES[HAIKU]);
    expect(models['acme.custom-v1']).toBeUndefined();
    await ask(HAIKU);
  });
});
