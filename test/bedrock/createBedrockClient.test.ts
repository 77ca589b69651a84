import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { createBedrockClient } from '../../src/bedrock/createBedrockClient.js';

describe('createBedrockClient', () => {
  it('turns the SDK retries off and reuses connections', async () => {
    const client = createBedrockClient({ endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(await client.config.maxAttempts()).toBe(1);
    expect(client.config.requestHandler).toBeInstanceOf(NodeHttpHandler);
    client.destroy();
  });

  it('defaults the region to us-east-1 when only an endpoint is given, and keeps a given one', async () => {
    const local = createBedrockClient({ endpoint: 'http://127.0.0.1:1' });
    expect(await local.config.region()).toBe('us-east-1');
    const eu = createBedrockClient({ endpoint: 'http://127.0.0.1:1', region: 'eu-west-1' });
    expect(await eu.config.region()).toBe('eu-west-1');
    local.destroy();
    eu.destroy();
  });

  it('uses the given credentials', async () => {
    const client = createBedrockClient({ region: 'us-west-2', credentials: { accessKeyId: 'AKID', secretAccessKey: 'S' } });
    const credentials = await client.config.credentials();
    expect(credentials.accessKeyId).toBe('AKID');
    client.destroy();
  });
});
