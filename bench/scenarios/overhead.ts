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

async function sequential(n: number, call: (r: InferenceRequest) => Promise<unknown>): Promise<number> {
  const rs = requests(n);
  const { ms } = await measure(async () => {
    for (const r of rs) await call(r);
  });
  return (ms * 1000) / n;
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
    const seq = { bare: [] as number[], rx: [] as number[], ck: [] as number[], lc: [] as number[], rxVsCk: [] as number[], rxVsLc: [] as number[] };
    const thr = { rxPool: [] as number[], rxOrch: [] as number[], ck: [] as number[], lc: [] as number[], rxVsCk: [] as number[], rxVsLc: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      seq.bare.push(await sequential(SEQ, bare));
      const r = await sequential(SEQ, rxCall);
      const c = await sequential(SEQ, ck.call);
      const l = await sequential(SEQ_LANGCHAIN, lc);
      seq.rx.push(r);
      seq.ck.push(c);
      seq.lc.push(l);
      seq.rxVsCk.push(r / c);
      seq.rxVsLc.push(r / l);
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
    const layerUs = new Map<string, number[]>();
    for (let run = 0; run < RUNS; run++) {
      for (const [name, model] of layers(rx.bus)) {
        const call = (r: InferenceRequest) => firstValueFrom(invoke(model, r));
        if (run === 0) await sequential(500, call);
        layerUs.set(name, [...(layerUs.get(name) ?? []), await sequential(LAYER_N, call)]);
      }
    }
    counting.unsubscribe();
    rx.stop();
    const us = (x: number) => `${num(x, 2)} µs`;
    const ratio = (x: number) => `${num(x, 3)}×`;
    const s = (xs: number[]) => summarize(xs);
    const rps = (x: number) => num(x, 0);
    const medRx = s(seq.rx).median;
    const medCk = s(seq.rxVsCk).median;
    const medLc = s(seq.rxVsLc).median;
    return {
      lines: [
        `${RUNS} runs; sequential: ${SEQ.toLocaleString('en')} requests per run (LangChain ${SEQ_LANGCHAIN.toLocaleString('en')}), concurrent: ${CONCURRENCY} in flight. ` +
          `rx-bedrock events seen on the bus: ${seenEvents.toLocaleString('en')}; cockatiel policy events: ${ck.events().toLocaleString('en')}. Load average after: ${load()}.`,
        '',
        '**Sequential, µs per request (min / median / max over runs)**',
        '',
        ...table(
          ['stack', 'µs / request', 'ratio rx-bedrock / it (same run)'],
          [
            ['bare async call', showSummary(s(seq.bare), us), ''],
            ['rx-bedrock full stack + events + metrics', showSummary(s(seq.rx), us), ''],
            ['cockatiel fallback∘wrap(retry, breaker, timeout)', showSummary(s(seq.ck), us), showSummary(s(seq.rxVsCk), ratio)],
            ['LangChain withRetry().withFallbacks()', showSummary(s(seq.lc), us), showSummary(s(seq.rxVsLc), ratio)],
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
        `**Where the time goes: one layer at a time, sequential, ${LAYER_N.toLocaleString('en')} requests per run, µs per request (min / median / max)**`,
        '',
        ...table(['model', 'µs / request'], [...layerUs].map(([name, xs]) => [name, showSummary(s(xs), us)])),
        '',
        ...table(
          ['target', 'measured (median)', 'verdict'],
          [
            ['≤ 10 µs per request, sequential', us(medRx), verdict(medRx <= 10)],
            ['≤ 0.33× cockatiel (same run)', ratio(medCk), verdict(medCk <= 0.33)],
            ['≤ 0.08× LangChain (same run)', ratio(medLc), verdict(medLc <= 0.08)],
          ],
        ),
      ],
    };
  },
};
