/**
 * `emulator`: the emulator alone must never be the bottleneck. A lean raw
 * HTTP/1.1 client (64 keep-alive TCP connections, one request in flight on
 * each, requests written as one string and responses framed by their
 * `content-length`: no HTTP library between the bench and the socket) posts
 * Converse requests to an instant model of an emulator in its own process.
 * For comparison, the same through a `node:http` keep-alive `Agent`, whose own
 * cost per request is larger than the emulator's; then, as the foundation
 * issue asks, the same through the SDK at concurrency 64 (stock client, and
 * createBedrock's client).
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { createBedrock, invoke } from 'rx-bedrock';
import { EMULATOR_CREDENTIALS, load, measure, num, pool, RUNS, showSummary, summarize, table, verdict, type Scenario } from '../harness.js';
import { spawnInstantEmulator, ZERO_MODEL } from './sdk.js';

const RAW_N = Number(process.env.EMULATOR_N ?? 20_000);
const NODE_HTTP_N = 5_000;
const SDK_N = 600;
const CONCURRENCY = 64;

function post(agent: Agent, url: URL, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

/**
 * The lean client: `connections` keep-alive sockets, each writing one whole
 * request and reading its whole response (status 200, body of `content-length`
 * bytes) before the next, so `connections` requests are in flight. No
 * pipelining, no chunked bodies (the emulator always sends a length).
 */
class RawHttp1Client {
  private readonly sockets: Socket[] = [];

  private constructor(
    private readonly url: URL,
    private readonly body: (i: number) => string,
  ) {}

  static async open(url: URL, connections: number, body: (i: number) => string): Promise<RawHttp1Client> {
    const client = new RawHttp1Client(url, body);
    await Promise.all(
      Array.from({ length: connections }, () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect(Number(url.port), url.hostname, () => resolve());
          socket.setNoDelay(true);
          socket.on('error', reject); // later errors end in 'close', which fails the run
          client.sockets.push(socket);
        }),
      ),
    );
    return client;
  }

  private request(i: number): string {
    const body = this.body(i);
    return `POST ${this.url.pathname} HTTP/1.1\r\nhost: ${this.url.host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  }

  /** Sends `count` requests over the open connections; resolves when every response is in. */
  run(count: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let sent = 0;
      let received = 0;
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error): void => {
        for (const cleanup of cleanups) cleanup();
        if (error) reject(error);
        else resolve();
      };
      for (const socket of this.sockets) {
        let pending: Buffer | undefined;
        let end = -1; // where the response being read ends in `pending`, once its head is in
        const next = (): void => {
          if (sent < count) socket.write(this.request(sent++));
        };
        const onData = (chunk: Buffer): void => {
          pending = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
          while (pending !== undefined) {
            if (end < 0) {
              const head = pending.indexOf(HEAD_END);
              if (head < 0) return;
              const text = pending.toString('latin1', 0, head);
              const length = CONTENT_LENGTH.exec(text);
              if (!text.startsWith('HTTP/1.1 200 ') || !length) return finish(new Error(`unexpected response: ${text.split('\r\n', 1)[0]}`));
              end = head + HEAD_END.length + Number(length[1]);
            }
            if (pending.length < end) return;
            pending = pending.length === end ? undefined : pending.subarray(end);
            end = -1;
            if (++received === count) return finish();
            next();
          }
        };
        const onClose = (): void => finish(new Error('the emulator closed a keep-alive connection'));
        socket.on('data', onData);
        socket.on('close', onClose);
        cleanups.push(() => {
          socket.off('data', onData);
          socket.off('close', onClose);
        });
        next();
      }
    });
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}

export const emulator: Scenario = {
  name: 'emulator',
  title: 'Emulator throughput: lean raw HTTP/1.1 keep-alive client, node:http, and the SDK at concurrency 64',
  async run() {
    const emu = await spawnInstantEmulator();
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const url = new URL(`${emu.endpoint}/model/${encodeURIComponent(ZERO_MODEL)}/converse`);
    const body = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: [{ text: `Say something about item ${i}` }] }] });
    const lean = await RawHttp1Client.open(url, CONCURRENCY, body);
    const stock = new BedrockRuntimeClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
    const own = createBedrock({ endpoint: emu.endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
    const ownModel = own.model(ZERO_MODEL);
    const raw = { rps: [] as number[], emuCpu: [] as number[], clientCpu: [] as number[] };
    const nodeHttp = { rps: [] as number[], emuCpu: [] as number[], clientCpu: [] as number[] };
    const sdkStock: number[] = [];
    const sdkOwn: number[] = [];
    const sample = async (into: typeof raw, n: number, fn: () => Promise<void>): Promise<void> => {
      const cpu0 = emu.cpuUs();
      const { ms, cpuUs } = await measure(fn);
      into.rps.push(n / (ms / 1000));
      into.clientCpu.push(cpuUs / n);
      into.emuCpu.push((emu.cpuUs() - cpu0) / n);
    };
    try {
      await lean.run(2_000);
      await pool(500, CONCURRENCY, (i) => post(agent, url, body(i)));
      for (let run = 0; run < RUNS; run++) {
        await sample(raw, RAW_N, () => lean.run(RAW_N));
        await sample(nodeHttp, NODE_HTTP_N, () => pool(NODE_HTTP_N, CONCURRENCY, (i) => post(agent, url, body(i))));
        const a = await measure(() =>
          pool(SDK_N, CONCURRENCY, (i) => stock.send(new ConverseCommand({ modelId: ZERO_MODEL, messages: [{ role: 'user', content: [{ text: `item ${i}` }] }] }))),
        );
        sdkStock.push(SDK_N / (a.ms / 1000));
        const c = await measure(() => pool(SDK_N, CONCURRENCY, (i) => firstValueFrom(invoke(ownModel, `item ${i}`))));
        sdkOwn.push(SDK_N / (c.ms / 1000));
      }
    } finally {
      lean.close();
      agent.destroy();
      stock.destroy();
      own.client.destroy();
      await emu.close();
    }
    const rps = (x: number) => num(x, 0);
    const median = summarize(raw.rps).median;
    const capacity = summarize(raw.emuCpu.map((us) => 1e6 / us));
    return {
      lines: [
        `${RUNS} runs; each run: ${RAW_N.toLocaleString('en')} Converse requests with the lean raw client, then ${NODE_HTTP_N.toLocaleString('en')} with node:http, ` +
          `${CONCURRENCY} in flight over ${CONCURRENCY} keep-alive connections; then ${SDK_N} per SDK client. ` +
          `The lean client speaks HTTP/1.1 straight on TCP sockets (one request in flight per connection, no pipelining). ` +
          `The client and the emulator share the same 2 cores, so this is a lower bound for the emulator. Emulator CPU is read from /proc (10 ms ticks). Load average after: ${load()}.`,
        '',
        ...table(
          ['client', 'requests/s (min / median / max)'],
          [
            ['lean raw client, HTTP/1.1 keep-alive', showSummary(summarize(raw.rps), rps)],
            ['  emulator CPU per request, µs', showSummary(summarize(raw.emuCpu), rps)],
            ['  lean client CPU per request, µs', showSummary(summarize(raw.clientCpu), rps)],
            ['  emulator capacity on one core = 10⁶ / its CPU µs per request', showSummary(capacity, rps)],
            ['node:http Agent, HTTP/1.1 keep-alive', showSummary(summarize(nodeHttp.rps), rps)],
            ['  emulator CPU per request, µs', showSummary(summarize(nodeHttp.emuCpu), rps)],
            ['  node:http client CPU per request, µs', showSummary(summarize(nodeHttp.clientCpu), rps)],
            ['SDK: stock BedrockRuntimeClient (HTTP/2 handler)', showSummary(summarize(sdkStock), rps)],
            ['SDK: createBedrock client (HTTP/1.1 keep-alive)', showSummary(summarize(sdkOwn), rps)],
          ],
        ),
        '',
        ...table(
          ['target', 'measured (median)', 'verdict'],
          [
            ['≥ 5,000 requests/s, lean raw HTTP/1.1 keep-alive client (wall clock, shared cores)', rps(median), verdict(median >= 5_000)],
            ['≥ 5,000 requests/s of emulator CPU capacity (one core)', rps(capacity.median), verdict(capacity.median >= 5_000)],
          ],
        ),
      ],
    };
  },
};
