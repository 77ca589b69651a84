/**
 * `emulator`: the emulator alone must never be the bottleneck. A raw
 * `node:http` client (an `Agent` with keep-alive, 64 sockets) posts Converse
 * requests over HTTP/1.1 to an instant model of an emulator in its own
 * process, 64 in flight; then, as the foundation issue asks, the same through
 * the SDK at concurrency 64 (stock client, and createBedrock's client).
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { Agent, request } from 'node:http';
import { firstValueFrom } from 'rxjs';
import { createBedrock, invoke } from 'rx-bedrock';
import { EMULATOR_CREDENTIALS, load, measure, num, pool, RUNS, showSummary, spawnEmulator, summarize, table, verdict, type Scenario } from '../harness.js';
import { ZERO_MODEL } from './sdk.js';

const RAW_N = Number(process.env.EMULATOR_N ?? 5_000);
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

export const emulator: Scenario = {
  name: 'emulator',
  title: 'Emulator throughput: raw HTTP/1.1 keep-alive client, and through the SDK at concurrency 64',
  async run() {
    const emu = await spawnEmulator();
    await emu.setProfile(ZERO_MODEL, { latency: { kind: 'fixed', ms: 0 }, outputTokens: 16, accuracy: 1 });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const url = new URL(`${emu.endpoint}/model/${encodeURIComponent(ZERO_MODEL)}/converse`);
    const body = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: [{ text: `Say something about item ${i}` }] }] });
    const stock = new BedrockRuntimeClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
    const own = createBedrock({ endpoint: emu.endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
    const ownModel = own.model(ZERO_MODEL);
    const raw: number[] = [];
    const emuCpu: number[] = [];
    const clientCpu: number[] = [];
    const sdkStock: number[] = [];
    const sdkOwn: number[] = [];
    try {
      await pool(500, CONCURRENCY, (i) => post(agent, url, body(i)));
      for (let run = 0; run < RUNS; run++) {
        const cpu0 = emu.cpuUs();
        const { ms, cpuUs } = await measure(() => pool(RAW_N, CONCURRENCY, (i) => post(agent, url, body(i))));
        raw.push(RAW_N / (ms / 1000));
        clientCpu.push(cpuUs / RAW_N);
        emuCpu.push((emu.cpuUs() - cpu0) / RAW_N);
        const a = await measure(() =>
          pool(SDK_N, CONCURRENCY, (i) => stock.send(new ConverseCommand({ modelId: ZERO_MODEL, messages: [{ role: 'user', content: [{ text: `item ${i}` }] }] }))),
        );
        sdkStock.push(SDK_N / (a.ms / 1000));
        const c = await measure(() => pool(SDK_N, CONCURRENCY, (i) => firstValueFrom(invoke(ownModel, `item ${i}`))));
        sdkOwn.push(SDK_N / (c.ms / 1000));
      }
    } finally {
      agent.destroy();
      stock.destroy();
      own.client.destroy();
      await emu.close();
    }
    const rps = (x: number) => num(x, 0);
    const median = summarize(raw).median;
    const capacity = summarize(emuCpu.map((us) => 1e6 / us));
    return {
      lines: [
        `${RUNS} runs; raw: ${RAW_N.toLocaleString('en')} Converse requests per run, ${CONCURRENCY} in flight over ${CONCURRENCY} keep-alive sockets; SDK: ${SDK_N} per run. ` +
          `The client and the emulator share the same 2 cores, so this is a lower bound for the emulator. Load average after: ${load()}.`,
        '',
        ...table(
          ['client', 'requests/s (min / median / max)'],
          [
            ['raw node:http, HTTP/1.1 keep-alive', showSummary(summarize(raw), rps)],
            ['  emulator CPU per request, µs (from /proc)', showSummary(summarize(emuCpu), rps)],
            ['  raw client CPU per request, µs', showSummary(summarize(clientCpu), rps)],
            ['  emulator capacity on one core = 10⁶ / its CPU µs per request', showSummary(capacity, rps)],
            ['SDK: stock BedrockRuntimeClient (HTTP/2 handler)', showSummary(summarize(sdkStock), rps)],
            ['SDK: createBedrock client (HTTP/1.1 keep-alive)', showSummary(summarize(sdkOwn), rps)],
          ],
        ),
        '',
        ...table(
          ['target', 'measured (median)', 'verdict'],
          [
            ['≥ 5,000 requests/s, raw HTTP/1.1 keep-alive (wall clock, shared cores)', rps(median), verdict(median >= 5_000)],
            ['≥ 5,000 requests/s of emulator CPU capacity (one core)', rps(capacity.median), verdict(capacity.median >= 5_000)],
          ],
        ),
      ],
    };
  },
};
