import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startEmulator, type Emulator } from '../../src/emulator/startEmulator.js';
import { PROTOCOLS, rawPost } from './sdkClients.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const KEYS = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };

function client(endpoint: string, protocol: (typeof PROTOCOLS)[number], credentials: { accessKeyId: string; secretAccessKey: string }, region = 'us-west-2') {
  return new BedrockRuntimeClient({ endpoint, region, credentials, maxAttempts: 1, ...(protocol === 'http1' ? { requestHandler: new NodeHttpHandler() } : {}) });
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ requireSignature: KEYS });
});
afterAll(() => emulator.close());

describe.each(PROTOCOLS)('requireSignature over %s', (protocol) => {
  it('accepts requests the SDK signed with the key pair', async () => {
    const c = client(emulator.endpoint, protocol, KEYS);
    const out = await c.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'What is 4 + 4?' }] }] }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    const native = await c.send(new InvokeModelCommand({ modelId: `us.${HAIKU}`, body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) }));
    expect(native.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses a wrong secret or another access key like AWS', async () => {
    const wrongSecret = client(emulator.endpoint, protocol, { ...KEYS, secretAccessKey: 'nope' });
    await expect(wrongSecret.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    const otherKey = client(emulator.endpoint, protocol, { ...KEYS, accessKeyId: 'AKIDOTHER' });
    await expect(otherKey.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });
});

describe('requireSignature', () => {
  it('refuses unsigned requests and counts them', async () => {
    const r = await rawPost(emulator.endpoint, `/model/${HAIKU}/converse`, '{}');
    expect(r.status).toBe(403);
    expect(r.errorType).toMatch(/^MissingAuthenticationTokenException:/);
    expect(emulator.stats().totals.errors.MissingAuthenticationTokenException).toBeGreaterThanOrEqual(1);
  });

  it('is checked at start', async () => {
    await expect(startEmulator({ requireSignature: { accessKeyId: 'a' } as never })).rejects.toThrow(/^requireSignature: /);
  });
});
