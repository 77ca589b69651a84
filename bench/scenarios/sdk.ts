/**
 * `sdk`: end to end through the real AWS SDK to the emulator running in a
 * separate process, at concurrency 1, 16, 64 and 256. Requests/s and client
 * CPU per request (`process.cpuUsage`, this process only) for
 * (a) a stock `BedrockRuntimeClient` (default HTTP/2 handler) called directly,
 * (b) the same client inside the resilient stack
 *     (fallback([withRetry(withCircuitBreaker(withRateLimit(withTimeout(m)))), m2]) with events and metrics),
 * (c) `createBedrock`'s own client (HTTP/1.1 keep-alive) through its model operator,
 * and, to split (b)'s cost, (op) the stock client through the bare model operator
 * (`createBedrock({ client }).model(...)`, no stack, no events).
 * The four run interleaved in each run, so their ratios share the machine's load.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { firstValueFrom } from 'rxjs';
import {
  createBedrock,
  createEventBus,
  createMetrics,
  fallback,
  invoke,
  withCircuitBreaker,
  withRateLimit,
  withRetry,
  withTimeout,
  type EventBus,
  type Model,
} from 'rx-bedrock';
import { EMULATOR_CREDENTIALS, load, measure, num, pool, RUNS, showSummary, spawnEmulator, summarize, table, verdict, type RemoteEmulator, type Scenario } from '../harness.js';

/** A fast model of the emulator's catalog, made instant for the bench. */
export const ZERO_MODEL = 'amazon.nova-micro-v1:0';

/** An emulator in its own process whose {@link ZERO_MODEL} answers at once with 16 tokens. */
export async function spawnInstantEmulator(): Promise<RemoteEmulator> {
  const emulator = await spawnEmulator();
  await emulator.setProfile(ZERO_MODEL, { latency: { kind: 'fixed', ms: 0 }, outputTokens: 16, accuracy: 1 });
  return emulator;
}
const LEVELS: readonly [concurrency: number, requests: number][] = [
  [1, 100],
  [16, 300],
  [64, 600],
  [256, 800],
];
const scale = Number(process.env.SDK_SCALE ?? 1);

/** The resilient stack of the `overhead` scenario around a model (and a second model to fall back to). */
export function resilientStack(primary: Model, secondary: Model, events: EventBus): Model {
  return fallback(
    [
      withRetry(
        withCircuitBreaker(withRateLimit(withTimeout(primary, 30_000), { rpm: 1_000_000_000, mode: 'wait', events }), { failureThreshold: 5, openForMs: 30_000, events }),
        { count: 2, events },
      ),
      secondary,
    ],
    { events },
  );
}

type Call = (i: number) => Promise<unknown>;

export const sdk: Scenario = {
  name: 'sdk',
  title: 'Real SDK to the emulator in another process: stock client vs the same inside the stack vs createBedrock',
  async run() {
    const emulator = await spawnInstantEmulator();
    const region = 'us-east-1';
    const stock = new BedrockRuntimeClient({ endpoint: emulator.endpoint, region, credentials: EMULATOR_CREDENTIALS });
    const bus = createEventBus();
    const metrics = createMetrics(bus.events$);
    const wrapped = createBedrock({ client: stock, events: bus });
    const own = createBedrock({ endpoint: emulator.endpoint, region, credentials: EMULATOR_CREDENTIALS });
    const stack = resilientStack(wrapped.model(ZERO_MODEL), wrapped.model('amazon.nova-lite-v1:0'), bus);
    const ownModel = own.model(ZERO_MODEL);
    const bareModel = createBedrock({ client: stock }).model(ZERO_MODEL);
    const prompt = (i: number) => `Say something about item ${i}`;
    const calls: Record<'a' | 'op' | 'b' | 'c', Call> = {
      a: (i) => stock.send(new ConverseCommand({ modelId: ZERO_MODEL, messages: [{ role: 'user', content: [{ text: prompt(i) }] }] })),
      op: (i) => firstValueFrom(invoke(bareModel, { id: `op${i}`, prompt: prompt(i) })),
      b: (i) => firstValueFrom(invoke(stack, { id: `b${i}`, prompt: prompt(i) })),
      c: (i) => firstValueFrom(invoke(ownModel, { id: `c${i}`, prompt: prompt(i) })),
    };
    const results = new Map<string, { rps: number[]; cpu: number[] }>();
    try {
      for (const call of Object.values(calls)) await pool(50, 8, call); // warm-up
      for (let run = 0; run < RUNS; run++) {
        for (const [concurrency, base] of LEVELS) {
          const n = Math.max(concurrency, Math.round(base * scale));
          for (const [name, call] of Object.entries(calls)) {
            const { ms, cpuUs } = await measure(() => pool(n, concurrency, call));
            const key = `${name}@${concurrency}`;
            const cell = results.get(key) ?? { rps: [], cpu: [] };
            cell.rps.push(n / (ms / 1000));
            cell.cpu.push(cpuUs / n);
            results.set(key, cell);
          }
        }
      }
    } finally {
      metrics.stop();
      stock.destroy();
      own.client.destroy();
      await emulator.close();
    }
    const label = { a: '(a) stock client', op: '(op) stock client through the bare model operator', b: '(b) stock client in the resilient stack', c: '(c) createBedrock client' } as const;
    const rows: string[][] = [];
    const ratio = (name: 'op' | 'b' | 'c', c: number, field: 'rps' | 'cpu') => {
      const mine = results.get(`${name}@${c}`)![field];
      const stockRun = results.get(`a@${c}`)![field];
      return summarize(mine.map((x, i) => x / stockRun[i]!));
    };
    for (const [concurrency] of LEVELS) {
      for (const name of ['a', 'op', 'b', 'c'] as const) {
        const cell = results.get(`${name}@${concurrency}`)!;
        rows.push([
          String(concurrency),
          label[name],
          showSummary(summarize(cell.rps), (x) => num(x, 0)),
          showSummary(summarize(cell.cpu), (x) => num(x, 0)),
          name === 'a' ? '' : showSummary(ratio(name, concurrency, 'rps'), (x) => `${num(x, 2)}×`),
          name === 'a' ? '' : showSummary(ratio(name, concurrency, 'cpu'), (x) => `${num(x, 2)}×`),
        ]);
      }
    }
    const bCpu = ratio('b', 64, 'cpu').median;
    const cRps = ratio('c', 64, 'rps').median;
    const bCpuAll = LEVELS.map(([c]) => `${c}: ${num(ratio('b', c, 'cpu').median, 2)}×`).join(', ');
    return {
      lines: [
        `${RUNS} runs; Converse on \`${ZERO_MODEL}\` made instant (latency 0, 16 output tokens); requests per cell ${LEVELS.map(([c, n]) => `${Math.max(c, Math.round(n * scale))} at ${c}`).join(', ')}. ` +
          `Emulator: \`node bin/rx-bedrock.js emulator --port 0\` (own process). Ratios are against (a) in the same run. Load average after: ${load()}.`,
        '',
        ...table(['concurrency', 'client', 'requests/s (min / median / max)', 'client CPU µs / request', 'throughput vs (a)', 'CPU / request vs (a)'], rows),
        '',
        ...table(
          ['target', 'measured (median)', 'verdict'],
          [
            ['(b) CPU per request ≤ 1.05× (a) (at 64; per level: ' + bCpuAll + ')', `${num(bCpu, 2)}×`, verdict(bCpu <= 1.05)],
            ['(c) throughput ≥ 1.3× (a) at concurrency 64', `${num(cRps, 2)}×`, verdict(cRps >= 1.3)],
          ],
        ),
      ],
    };
  },
};
