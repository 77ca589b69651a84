/**
 * `overhead`: what the full resilient stack costs per request on a model that
 * answers on the next microtask, against cockatiel's and LangChain's
 * equivalents, all in this process and run interleaved, so the ratios are fair
 * on a noisy machine.
 *
 * - rx-bedrock: fallback([withRetry(withCircuitBreaker(withRateLimit(withTimeout(m)))), m2]),
 *   every strategy reporting to one bus, `createMetrics` recording it, and the
 *   model reporting its attempts there as a Bedrock operator does.
 * - cockatiel: fallback ∘ wrap(retry, circuitBreaker, timeout), a listener on every policy's events.
 * - LangChain: RunnableLambda(m).withRetry().withFallbacks([m2]).
 *
 * Sequential: one request at a time (µs per request). Concurrent: 64 in flight
 * (requests/s): rx-bedrock through `orchestrateFrom` (request events too) and
 * through the same Promise pool as the others.
 */
import { RunnableLambda } from '@langchain/core/runnables';
import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, fallback as cockatielFallback, handleAll, retry, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import {
  createEventBus,
  createMetrics,
  fallback,
  invoke,
  orchestrateFrom,
  withCircuitBreaker,
  withRateLimit,
  withRetry,
  withTimeout,
  type InferenceRequest,
  type Model,
} from 'rx-bedrock';
import { load, measure, num, pool, RUNS, showSummary, summarize, table, verdict, type Scenario } from '../harness.js';
import { inMemoryFunction, inMemoryModel } from '../inMemoryModel.js';

const SEQ = Number(process.env.OVERHEAD_N ?? 8_000);
const SEQ_LANGCHAIN = Math.max(1, Math.floor(SEQ / 4));
const CONCURRENCY = 64;

const requests = (n: number): InferenceRequest[] => Array.from({ length: n }, (_v, i) => ({ id: `r${i}`, messages: [{ role: 'user', content: [{ text: `question ${i}` }] }] }));

function rxStack(): { model: Model; bus: ReturnType<typeof createEventBus>; stop: () => void } {
  const bus = createEventBus();
  const metrics = createMetrics(bus.events$);
  const primary = inMemoryModel('primary', bus);
  const secondary = inMemoryModel('secondary', bus);
  const model = fallback(
    [
      withRetry(
        withCircuitBreaker(withRateLimit(withTimeout(primary, 30_000), { rpm: 1_000_000_000, mode: 'wait', events: bus }), { failureThreshold: 5, openForMs: 30_000, events: bus }),
        { count: 2, events: bus },
      ),
      secondary,
    ],
    { events: bus },
  );
  return { model, bus, stop: () => metrics.stop() };
}

const LAYER_N = 3_000;

/** The stack's layers one at a time around the same model (the bus is shared with the full stack's metrics). */
function layers(bus: ReturnType<typeof createEventBus>): [string, Model][] {
  const m = inMemoryModel('layer', bus);
  const quiet = inMemoryModel('layer');
  return [
    ['invoke(model), no events', quiet],
    ['invoke(model), attempt events + metrics', m],
    ['withTimeout(model, 30 s)', withTimeout(m, 30_000)],
    ['withRateLimit(model, rpm, wait)', withRateLimit(m, { rpm: 1_000_000_000, mode: 'wait', events: bus })],
    ['withCircuitBreaker(model)', withCircuitBreaker(m, { failureThreshold: 5, openForMs: 30_000, events: bus })],
    ['withRetry(model, 2)', withRetry(m, { count: 2, events: bus })],
    ['fallback([model, model2])', fallback([m, inMemoryModel('layer2', bus)], { events: bus })],
  ];
}

function cockatielStack(): { call: (r: InferenceRequest) => Promise<unknown>; events: () => number } {
  let events = 0;
  const count = (): void => void events++;
  const primary = inMemoryFunction('primary');
  const secondary = inMemoryFunction('secondary');
  const retryPolicy = retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() });
  const breaker = circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) });
  const timeoutPolicy = timeout(30_000, TimeoutStrategy.Aggressive);
  let current: InferenceRequest | undefined;
  const fb = cockatielFallback(handleAll, () => secondary(current!));
  for (const p of [retryPolicy, breaker, timeoutPolicy, fb]) {
    p.onSuccess(count);
    p.onFailure(count);
  }
  const policy = wrap(fb, retryPolicy, breaker, timeoutPolicy);
  return {
    call: (request) => {
      current = request;
      return policy.execute(() => primary(request));
    },
    events: () => events,
  };
}

function langchainStack(): (r: InferenceRequest) => Promise<unknown> {
  const primary = RunnableLambda.from(inMemoryFunction('primary'));
  const secondary = RunnableLambda.from(inMemoryFunction('secondary'));
  const chain = primary.withRetry({ stopAfterAttempt: 2 }).withFallbacks([secondary]);
  return (request) => chain.invoke(request);
}

/** Cost per request of `n` requests made one at a time: µs of wall clock, and µs of this process's CPU. */
interface Cost {
  readonly wall: number;
  readonly cpu: number;
}

async function sequential(n: number, call: (r: InferenceRequest) => Promise<unknown>): Promise<Cost> {
  const rs = requests(n);
  const { ms, cpuUs } = await measure(async () => {
    for (const r of rs) await call(r);
  });
  return { wall: (ms * 1000) / n, cpu: cpuUs / n };
}

/** Blocks each stack's requests are cut into within a run, taking turns, so a change of load hits all stacks alike. */
const BLOCKS = 8;

/**
 * A pause between blocks, so the collector's background threads finish with
 * the previous block's garbage before the next block's CPU time is read (they
 * count in this process's CPU time).
 */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

/** One run of the sequential comparison: the stacks take turns block by block; the cost per request of each over the whole run. */
async function interleaved(stacks: readonly (readonly [n: number, call: (r: InferenceRequest) => Promise<unknown>])[]): Promise<Cost[]> {
  const sums = stacks.map(() => ({ wall: 0, cpu: 0 }));
  for (let block = 0; block < BLOCKS; block++) {
    for (const [i, [n, call]] of stacks.entries()) {
      const size = Math.max(1, Math.floor(n / BLOCKS));
      await settle();
      const cost = await sequential(size, call);
      sums[i]!.wall += cost.wall / BLOCKS;
      sums[i]!.cpu += cost.cpu / BLOCKS;
    }
  }
  return sums;
}

async function concurrent(n: number, call: (r: InferenceRequest) => Promise<unknown>): Promise<number> {
  const rs = requests(n);
  const { ms } = await measure(() => pool(n, CONCURRENCY, (i) => call(rs[i]!)));
  return n / (ms / 1000);
}

export const overhead: Scenario = {
  name: 'overhead',
  title: 'Per-request cost of the full resilient stack vs cockatiel and LangChain on an in-memory model',
  async run() {
    const rx = rxStack();
    const ck = cockatielStack();
    const lc = langchainStack();
    const rxCall = (r: InferenceRequest) => firstValueFrom(invoke(rx.model, r));
    let seenEvents = 0;
    const counting = rx.bus.events$.subscribe(() => void seenEvents++);
    const bare = inMemoryFunction('bare');
    // warm-up: JIT every path
    await sequential(2_000, rxCall);
    await sequential(2_000, ck.call);
    await sequential(500, lc);
    const seq = { bare: [] as Cost[], rx: [] as Cost[], ck: [] as Cost[], rxBesideLc: [] as Cost[], lc: [] as Cost[], rxVsCk: [] as Cost[], rxVsLc: [] as Cost[] };
    const thr = { rxPool: [] as number[], rxOrch: [] as number[], ck: [] as number[], lc: [] as number[], rxVsCk: [] as number[], rxVsLc: [] as number[] };
    // LangChain leaves garbage the next block pays to collect (the block after one of its blocks runs ~1.7× slower,
    // whatever it runs), so it takes turns with rx-bedrock alone, after the rx-bedrock/cockatiel runs.
    for (let run = 0; run < RUNS; run++) {
      const [b, r, c] = await interleaved([
        [SEQ, bare],
        [SEQ, rxCall],
        [SEQ, ck.call],
      ]);
      seq.bare.push(b!);
      seq.rx.push(r!);
      seq.ck.push(c!);
      seq.rxVsCk.push({ wall: r!.wall / c!.wall, cpu: r!.cpu / c!.cpu });
    }
    for (let run = 0; run < RUNS; run++) {
      const [r, l] = await interleaved([
        [SEQ_LANGCHAIN, rxCall],
        [SEQ_LANGCHAIN, lc],
      ]);
      seq.rxBesideLc.push(r!);
      seq.lc.push(l!);
      seq.rxVsLc.push({ wall: r!.wall / l!.wall, cpu: r!.cpu / l!.cpu });
    }
    for (let run = 0; run < RUNS; run++) {
      const rp = await concurrent(SEQ, rxCall);
      const ro = await (async () => {
        const { ms } = await measure(() => lastValueFrom(orchestrateFrom(requests(SEQ), rx.model, { concurrency: CONCURRENCY, events: rx.bus })));
        return SEQ / (ms / 1000);
      })();
      const ct = await concurrent(SEQ, ck.call);
      const lt = await concurrent(SEQ_LANGCHAIN, lc);
      thr.rxPool.push(rp);
      thr.rxOrch.push(ro);
      thr.ck.push(ct);
      thr.lc.push(lt);
      thr.rxVsCk.push(ct / rp);
      thr.rxVsLc.push(lt / rp);
    }
    const layerUs = new Map<string, Cost[]>();
    const layerCalls = layers(rx.bus).map(([name, model]) => [name, (r: InferenceRequest) => firstValueFrom(invoke(model, r))] as const);
    for (const [, call] of layerCalls) await sequential(500, call);
    for (let run = 0; run < RUNS; run++) {
      const costs = await interleaved(layerCalls.map(([, call]) => [LAYER_N, call] as const));
      layerCalls.forEach(([name], i) => layerUs.set(name, [...(layerUs.get(name) ?? []), costs[i]!]));
    }
    counting.unsubscribe();
    rx.stop();
    const us = (x: number) => `${num(x, 2)} µs`;
    const ratio = (x: number) => `${num(x, 3)}×`;
    const s = (xs: number[]) => summarize(xs);
    const cpu = (xs: Cost[]) => s(xs.map((x) => x.cpu));
    const wall = (xs: Cost[]) => s(xs.map((x) => x.wall));
    const rps = (x: number) => num(x, 0);
    const medRx = cpu(seq.rx).median;
    const medCk = cpu(seq.rxVsCk).median;
    const medLc = cpu(seq.rxVsLc).median;
    return {
      lines: [
        `${RUNS} runs; sequential: ${SEQ.toLocaleString('en')} requests per run (LangChain ${SEQ_LANGCHAIN.toLocaleString('en')}), concurrent: ${CONCURRENCY} in flight. ` +
          `rx-bedrock events seen on the bus: ${seenEvents.toLocaleString('en')}; cockatiel policy events: ${ck.events().toLocaleString('en')}. Load average after: ${load()}.`,
        '',
        `**Sequential, µs per request (min / median / max over runs)**: in each run the bare call, rx-bedrock and cockatiel take turns in ${BLOCKS} blocks; ` +
          `then, in ${RUNS} more runs, rx-bedrock and LangChain do (the block after a LangChain block pays for collecting its garbage). ` +
          "CPU is this process's CPU time per request (what a request costs, whatever else the machine runs); wall is elapsed time, " +
          'which on this shared machine also holds the time spent waiting for a core. The targets are judged on CPU; wall is shown beside it.',
        '',
        ...table(
          ['stack', 'CPU µs / request', 'wall µs / request', 'ratio rx-bedrock / it, CPU', 'ratio rx-bedrock / it, wall'],
          [
            ['bare async call', showSummary(cpu(seq.bare), us), showSummary(wall(seq.bare), us), '', ''],
            ['rx-bedrock full stack + events + metrics', showSummary(cpu(seq.rx), us), showSummary(wall(seq.rx), us), '', ''],
            ['rx-bedrock, the same, taking turns with LangChain', showSummary(cpu(seq.rxBesideLc), us), showSummary(wall(seq.rxBesideLc), us), '', ''],
            [
              'cockatiel fallback∘wrap(retry, breaker, timeout)',
              showSummary(cpu(seq.ck), us),
              showSummary(wall(seq.ck), us),
              showSummary(cpu(seq.rxVsCk), ratio),
              showSummary(wall(seq.rxVsCk), ratio),
            ],
            [
              'LangChain withRetry().withFallbacks()',
              showSummary(cpu(seq.lc), us),
              showSummary(wall(seq.lc), us),
              showSummary(cpu(seq.rxVsLc), ratio),
              showSummary(wall(seq.rxVsLc), ratio),
            ],
          ],
        ),
        '',
        `**Concurrent, ${CONCURRENCY} in flight, requests/s (min / median / max)**`,
        '',
        ...table(
          ['stack', 'requests/s', 'ratio rx-bedrock (pool) / it, time per request'],
          [
            ['rx-bedrock, Promise pool (same as the others)', showSummary(s(thr.rxPool), rps), ''],
            ['rx-bedrock, orchestrateFrom (+ request events)', showSummary(s(thr.rxOrch), rps), ''],
            ['cockatiel', showSummary(s(thr.ck), rps), showSummary(s(thr.rxVsCk), ratio)],
            ['LangChain', showSummary(s(thr.lc), rps), showSummary(s(thr.rxVsLc), ratio)],
          ],
        ),
        '',
        `**Where the time goes: one layer at a time around the same model, sequential, ${LAYER_N.toLocaleString('en')} requests per run, taking turns in ${BLOCKS} blocks as above, µs per request (min / median / max)**`,
        '',
        ...table(['model', 'CPU µs / request', 'wall µs / request'], [...layerUs].map(([name, xs]) => [name, showSummary(cpu(xs), us), showSummary(wall(xs), us)])),
        '',
        ...table(
          ['target', 'measured (median)', 'verdict'],
          [
            ['≤ 10 µs per request, sequential (CPU)', us(medRx), verdict(medRx <= 10)],
            ['≤ 0.33× cockatiel (same run, CPU)', ratio(medCk), verdict(medCk <= 0.33)],
            ['≤ 0.08× LangChain (same run, CPU)', ratio(medLc), verdict(medLc <= 0.08)],
          ],
        ),
      ],
    };
  },
};
