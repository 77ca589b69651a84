import { afterAll, beforeAll } from 'vitest';
import { createBedrock, type Bedrock, type BedrockOptions } from '../../src/bedrock/createBedrock.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

/** Dummy credentials: the emulator accepts any signature. */
export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator' };

/** Models whose answers are always right, so tests can check the text. */
export const EXACT_MODELS = [
  'anthropic.claude-3-haiku-20240307-v1:0',
  'anthropic.claude-v2:1',
  'amazon.titan-text-express-v1',
  'amazon.nova-micro-v1:0',
  'meta.llama3-8b-instruct-v1:0',
  'mistral.mistral-7b-instruct-v0:2',
  'cohere.command-r-v1:0',
  'ai21.jamba-1-5-mini-v1:0',
] as const;

/** Starts an emulator (fast, exact models) and a Bedrock over it for the tests of one file. */
export function useEmulator(options: Omit<BedrockOptions, 'endpoint' | 'credentials' | 'client'> = {}): { emulator: () => Emulator; bedrock: () => Bedrock } {
  let emulator: Emulator | undefined;
  let bedrock: Bedrock | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({
      seed: 7,
      models: Object.fromEntries(EXACT_MODELS.map((id) => [id, { accuracy: 1, latency: { kind: 'fixed', ms: 1 }, firstTokenMs: { kind: 'fixed', ms: 1 } }])),
    });
    bedrock = createBedrock({ ...options, endpoint: emulator.endpoint, credentials: CREDENTIALS });
  });
  afterAll(async () => {
    bedrock?.client.destroy();
    await emulator?.close();
  });
  return { emulator: () => emulator!, bedrock: () => bedrock! };
}

/** Waits (polling every 5 ms, up to 5 s) until `check` holds. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
