import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as http from 'node:http';
import * as net from 'node:net';
import fc from 'fast-check';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator, type Emulator } from '../../src/emulator/startEmulator.js';
import { PROTOCOLS, rawPost, sdkClient } from './sdkClients.js';

const HAIKU = encodeURIComponent('anthropic.claude-3-haiku-20240307-v1:0');
const converse = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] });

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ models: { 'anthropic.claude-3-haiku-20240307-v1:0': { latency: { kind: 'fixed', ms: 0 } } } });
});
afterAll(() => emulator.close());

async function stillServes(): Promise<void> {
  for (const protocol of PROTOCOLS) {
    const out = await sdkClient(emulator.endpoint, protocol).send(
      new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'What is 2 * 4?' }] }] }),
    );
    expect(out.usage?.outputTokens).toBe(1);
  }
}

/** Any request over a fresh HTTP/1.1 connection; resolves with the status, or 0 when the server closed the socket. */
function rawRequest(path: string, method: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: emulator.port, path, method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Raw bytes on a TCP socket; resolves with whatever came back once the server closes or 300 ms pass. */
function rawBytes(bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(emulator.port, '127.0.0.1');
    let got = '';
    const done = () => {
      socket.destroy();
      resolve(got);
    };
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.setTimeout(300, done);
    socket.end(bytes);
  });
}

describe('malformed input gets Bedrock errors', () => {
  it('bad JSON is a ValidationException', async () => {
    const r = await rawPost(emulator.endpoint, `/model/${HAIKU}/converse`, '{"messages": [');
    expect(r).toMatchObject({ status: 400, errorType: 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
    expect(JSON.parse(r.body)).toEqual({ message: 'Malformed input request, please reformat your input and try again.' });
  });

  it('missing or wrong fields are ValidationExceptions that say where', async () => {
    const none = await rawPost(emulator.endpoint, `/model/${HAIKU}/converse`, '{}');
    expect(JSON.parse(none.body).message).toMatch(/at 'messages' failed to satisfy constraint/);
    const role = await rawPost(emulator.endpoint, `/model/${HAIKU}/converse`, JSON.stringify({ messages: [{ role: 'assistant', content: [] }] }));
    expect(JSON.parse(role.body).message).toMatch(/must start with a user message/);
    const empty = await rawPost(emulator.endpoint, `/model/${HAIKU}/converse`, JSON.stringify({ messages: [{ role: 'user', content: [] }] }));
    expect(JSON.parse(empty.body).message).toMatch(/Message object at messages\.0 is empty/);
    const blank = await rawPost(emulator.endpoint, `/model/${HAIKU}/converse`, JSON.stringify({ messages: [{ role: 'user', content: [{ text: ' ' }] }] }));
    expect(JSON.parse(blank.body).message).toMatch(/messages\.0\.content\.0 is blank/);
    const max = await rawPost(emulator.endpoint, `/model/${HAIKU}/converse`, JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'a' }] }], inferenceConfig: { maxTokens: 0 } }));
    expect(JSON.parse(max.body).message).toMatch(/inferenceConfig\.maxTokens/);
    const native = await rawPost(emulator.endpoint, `/model/${HAIKU}/invoke`, JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', messages: [] }));
    expect(native.status).toBe(400);
    expect(JSON.parse(native.body).message).toBe('Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again.');
    const typed = await rawPost(emulator.endpoint, `/model/mistral.mistral-7b-instruct-v0%3A2/invoke`, JSON.stringify({ prompt: 1 }));
    expect(JSON.parse(typed.body).message).toMatch(/#\/prompt: expected type: String, found: Integer/);
  });

  it('an unknown model is a ResourceNotFoundException', async () => {
    const r = await rawPost(emulator.endpoint, '/model/acme.nothing-v1%3A0/converse', converse);
    expect(r.status).toBe(404);
    expect(r.errorType).toMatch(/^ResourceNotFoundException:/);
  });

  it('a model id is decoded from its path label every time, however it is escaped, and a broken escape always fails', async () => {
    for (const path of [`/model/${HAIKU}/converse`, '/model/anthropic.claude-3-haiku-20240307-v1:0/converse', `/model/${HAIKU}/converse`]) {
      const r = await rawPost(emulator.endpoint, path, converse);
      expect(r.status).toBe(200);
    }
    for (let i = 0; i < 2; i++) {
      const r = await rawPost(emulator.endpoint, '/model/anthropic%E0%A4%A/converse', converse);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).message).toBe('The provided model identifier is invalid.');
    }
  });

  it('an unknown path or method is an UnknownOperationException', async () => {
    for (const [path, method] of [['/nope', 'POST'], [`/model/${HAIKU}/talk`, 'POST'], [`/model/${HAIKU}/converse`, 'GET'], ['/_emulator/nope', 'GET']] as const) {
      const r = await rawPost(emulator.endpoint, path, converse, { 'content-type': 'application/json' }, method);
      expect(r.status).toBe(404);
      expect(r.errorType).toMatch(/^UnknownOperationException:/);
    }
  });

  it('a wrong content type is a ValidationException; InvokeModel takes octet-stream', async () => {
    const r = await rawPost(emulator.endpoint, `/model/${HAIKU}/converse`, converse, { 'content-type': 'text/plain' });
    expect(r.status).toBe(400);
    expect(r.errorType).toMatch(/^ValidationException:/);
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect((await rawPost(emulator.endpoint, `/model/${HAIKU}/invoke`, body, { 'content-type': 'application/octet-stream' })).status).toBe(200);
    expect((await rawPost(emulator.endpoint, `/model/${HAIKU}/invoke`, body, { 'content-type': 'text/csv' })).status).toBe(400);
  });

  it('counts errors in the totals, whether or not a model was named', async () => {
    emulator.reset();
    await rawPost(emulator.endpoint, '/nope', '');
    await rawPost(emulator.endpoint, '/model/acme.nothing/converse', converse);
    await rawPost(emulator.endpoint, `/model/${HAIKU}/converse`, '[');
    const stats = emulator.stats();
    expect(stats.totals).toMatchObject({ calls: 3, inFlight: 0, errors: { UnknownOperationException: 1, ResourceNotFoundException: 1, ValidationException: 1 } });
    expect(stats.models['anthropic.claude-3-haiku-20240307-v1:0']).toMatchObject({ calls: 1, errors: { ValidationException: 1 } });
  });
});

describe('fuzzing', () => {
  it('random paths, methods, headers and bodies never take the server down', async () => {
    const path = fc.oneof(
      fc.constantFrom('/model/x/converse', `/model/${HAIKU}/converse`, `/model/${HAIKU}/invoke`, `/model/${HAIKU}/converse-stream`, `/model/${HAIKU}/invoke-with-response-stream`, `/model/${HAIKU}/count-tokens`, '/_emulator/models/x', '/_emulator/stats'),
      fc.stringMatching(/^\/[A-Za-z0-9%:._~\-/]{0,40}$/),
      fc.constantFrom('/model/%E0%A4%A/converse', '/model//converse', '/%', '/model/a%3Ab/converse?x=1'),
    );
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.json().map((j) => Buffer.from(j)),
      fc.constantFrom('{"messages":[{"role":"user","content":[{"text":"hi"},{"image":null},{"toolResult":{"content":[{"image":{}}]}}]}]}', '{"input":{"invokeModel":{"body":"!!!"}}}', '{"input":{"converse":{"messages":null}}}', '{"anthropic_version":"x","max_tokens":-1,"messages":[null]}', '{"messages":[{"role":"user","content":"x"}],"system":[{"text":5}]}').map((s) => Buffer.from(s)),
    );
    const headers = fc.record({
      'content-type': fc.constantFrom('application/json', 'application/octet-stream', 'text/plain', '', 'application/json; charset=utf-8'),
      'x-amzn-bedrock-accept': fc.string({ maxLength: 10 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    });
    await fc.assert(
      fc.asyncProperty(path, fc.constantFrom('POST', 'GET', 'PUT', 'DELETE'), headers, body, async (p, m, h, b) => {
        const status = await rawRequest(p, m, h, b);
        expect(status === 0 || (status >= 200 && status < 600)).toBe(true);
        expect(status).not.toBe(500);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constant(new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\ngarbage')), fc.constant(new TextEncoder().encode('PR'))), async (bytes) => {
        await rawBytes(Buffer.from(bytes));
      }),
      { numRuns: 40 },
    );
    expect(emulator.stats().totals.inFlight).toBe(0);
    await stillServes();
  });

  it('routes a request whose first bytes arrive one at a time', async () => {
    const socket = net.connect(emulator.port, '127.0.0.1');
    const request = `POST /model/${HAIKU}/converse HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${converse.length}\r\nconnection: close\r\n\r\n${converse}`;
    const reply = new Promise<string>((resolve) => {
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve(got));
    });
    socket.write('P');
    await new Promise((r) => setTimeout(r, 20));
    socket.write('O');
    await new Promise((r) => setTimeout(r, 20));
    socket.end(request.slice(2));
    expect(await reply).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*"stopReason":"end_turn"/);
  });
});
