import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { sdkClient } from '../emulator/sdkClients.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 3, models: { 'amazon.nova-lite-v1:0': { latency: { kind: 'fixed', ms: 0 } } } });
});
afterAll(() => emulator.close());

/** The model the health check uses: the fuzzer never names it, so nothing it sends can reshape it. */
const CHECKED = 'anthropic.claude-3-haiku-20240307-v1:0';

interface Answer {
  readonly status: number;
  readonly errorType: string | undefined;
  readonly body: string;
}

const pathChars = fc.constantFrom(...'abcXYZ019-._~:%/?=&+'.split(''));
const path = fc.oneof(
  fc.tuple(
    fc.oneof(fc.constantFrom('amazon.nova-lite-v1:0', 'nope.model', '%zz', '', 'arn%3Aaws%3Abedrock'), fc.string({ unit: pathChars, maxLength: 20 })),
    fc.constantFrom('converse', 'converse-stream', 'invoke', 'invoke-with-response-stream', 'count-tokens', 'other', ''),
  ).map(([id, op]) => `/model/${id}/${op}`),
  fc.constantFrom('/', '/_emulator/stats', '/_emulator/models', '/_emulator/models/nope', '/_emulator/models/%zz', '/_emulator/nothing', '/model', '/model/'),
  fc.string({ unit: pathChars, maxLength: 30 }).map((p) => `/${p}`),
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'FOO');
const body = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v))),
  fc.constantFrom(
    { messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 'x' } },
    { messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] },
    { messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: '!!' } } }] }] },
    { prompt: 'hi', max_tokens: -1 },
    { latency: { kind: 'weird' } },
  ).map((v) => Buffer.from(JSON.stringify(v))),
);
const headers = fc.dictionary(
  fc.stringMatching(/^x-f-[a-z0-9-]{1,10}$/),
  fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/),
  { maxKeys: 4 },
).chain((extra) => fc.record({ extra: fc.constant(extra), type: fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', '') }));

/** A Bedrock error: a status, `x-amzn-errortype`, and a JSON body with a `message`. */
function expectBedrockShaped(answer: Answer, methodName: string): void {
  if (answer.status === 200) return;
  expect(answer.errorType, `status ${answer.status} without x-amzn-errortype`).toMatch(/^\w+Exception:/);
  if (methodName !== 'HEAD') expect(typeof (JSON.parse(answer.body) as { message?: unknown }).message).toBe('string');
}

function viaHttp1(m: string, p: string, b: Buffer, h: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // An explicit length: Node sends a GET body raw otherwise, which is the client's framing error, not the server's.
    const req = http.request(`${emulator.endpoint}${p}`, { method: m, headers: { ...h, 'content-length': String(b.length) }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => void (text += c)).on('end', () => {
        const type = res.headers['x-amzn-errortype'];
        resolve({ status: res.statusCode ?? 0, errorType: Array.isArray(type) ? type[0] : type, body: text });
      });
    });
    req.on('error', reject);
    req.end(b);
  });
}

function viaHttp2(session: http2.ClientHttp2Session, m: string, p: string, b: Buffer, h: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': m, ':path': p, ...h }, { endStream: false });
    let status = 0;
    let errorType: string | undefined;
    let text = '';
    stream.on('response', (head) => {
      status = Number(head[':status']);
      errorType = head['x-amzn-errortype'] as string | undefined;
    });
    stream.setEncoding('utf8').on('data', (c: string) => void (text += c));
    stream.on('end', () => resolve({ status, errorType, body: text }));
    stream.on('error', reject);
    stream.end(b);
  });
}

async function stillServes(): Promise<void> {
  for (const protocol of ['http2', 'http1'] as const) {
    const client = sdkClient(emulator.endpoint, protocol);
    const out = await client.send(new ConverseCommand({ modelId: CHECKED, messages: [{ role: 'user', content: [{ text: 'What is 2 + 2?' }] }] }));
    expect(out.output?.message?.content?.[0]?.text).toBeTruthy();
    client.destroy();
  }
}

const headersOf = (h: { extra: Record<string, string>; type: string }): Record<string, string> => ({ ...h.extra, ...(h.type ? { 'content-type': h.type } : {}) });

describe('fuzzing the emulator over HTTP', () => {
  it('answers random methods, paths, headers and bodies over HTTP/1.1 with Bedrock-shaped errors, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, headers, body, async (m, p, h, b) => {
        const answer = await viaHttp1(m, p, b, headersOf(h));
        // A method Node's HTTP/1.1 parser does not know never reaches the handler: a plain 400, and the connection closes.
        if (!http.METHODS.includes(m)) expect(answer.status).toBe(400);
        else expectBedrockShaped(answer, m);
      }),
      { numRuns: 150 },
    );
    await stillServes();
  });

  it('does the same over HTTP/2', async () => {
    const session = http2.connect(emulator.endpoint);
    try {
      await fc.assert(
        fc.asyncProperty(method, path, headers, body, async (m, p, h, b) => expectBedrockShaped(await viaHttp2(session, m, p, b, headersOf(h)), m)),
        { numRuns: 150 },
      );
    } finally {
      session.close();
    }
    await stillServes();
  });

  it('survives raw bytes that are not HTTP at all, or HTTP cut short, and keeps serving', async () => {
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.constantFrom('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x05\x07', 'PR', 'POST /model/x/converse HTTP/1.1\r\ncontent-length: 100\r\n\r\n{', 'GET / HTTP/9.9\r\n\r\n', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n').map((s) => Buffer.from(s, 'latin1')),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (bytes) => {
        await new Promise<void>((resolve) => {
          const socket = net.connect(emulator.port, '127.0.0.1', () => socket.end(bytes));
          socket.on('data', () => {});
          socket.on('error', () => resolve());
          socket.on('close', () => resolve());
          // A request cut short waits for the rest: leave it after a moment (the server times such sockets out on its own).
          setTimeout(() => socket.destroy(), 200);
        });
      }),
      { numRuns: 60 },
    );
    await stillServes();
  });
});
