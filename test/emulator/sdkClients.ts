import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** The two transports the SDK can use against the emulator. */
export const PROTOCOLS = ['http2', 'http1'] as const;

/** An unmodified SDK client pointed at `endpoint` with dummy credentials and no SDK retries. */
export function sdkClient(endpoint: string, protocol: (typeof PROTOCOLS)[number] = 'http2'): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...(protocol === 'http1' ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}

/** Raw HTTP/1.1 request helper for malformed input. */
export async function rawPost(endpoint: string, path: string, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }, method = 'POST'): Promise<{ status: number; errorType: string | null; body: string }> {
  const res = await fetch(endpoint + path, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), body: await res.text() };
}
