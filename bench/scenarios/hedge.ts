/**
 * `hedge`: a model where 5% of calls take 400 ms and 95% take 20 ms, 2,000
 * requests at concurrency 32, without and with `hedge(m, { after: 40 })`.
 *
 * 1. Virtual time (the strategy itself, free of machine noise): a
 *    `scriptedModel` on a `VirtualTimeScheduler`, one seed per run; latency per
 *    request from subscription to answer, extra and cancelled calls from the
 *    model's own call record.
 * 2. Over HTTP: createBedrock's model against the emulator in its own process,
 *    at the concurrency 32 and at 8 (one the client can sustain here);
 *    extra calls and cancelled losers from the emulator's counters (deltas),
 *    hedges started from `hedge-fired` events, new TCP connections from the
 *    `net.client.socket` diagnostics channel, and the client's CPU per request
 *    and event-loop utilisation to show whether it is CPU-saturated.
 */
import { subscribe as subscribeChannel } from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { defer, finalize, firstValueFrom, from, mergeMap, of, VirtualTimeScheduler } from 'rxjs';
import { createBedrock, createEventBus, hedge, invoke, seededRandom, type InferenceRequest, type Model } from 'rx-bedrock';
import { scriptedModel } from 'rx-bedrock/testing';
import { EMULATOR_CREDENTIALS, load, measure, num, pool, quantile, RUNS, showSummary, sleep, spawnEmulator, summarize, table, verdict, type Scenario } from '../harness.js';

const MODEL = 'bench.tail-model';
const N = Number(process.env.HEDGE_N ?? 2_000);
const CONCURRENCY = 32;
/** The level, then one the CPU-bound client sustains on this machine. */
const HTTP_LEVELS = [CONCURRENCY, 8];
/** Mean model latency: 0.95 × 20 + 0.05 × 400 ms. */
const MEAN_MS = 39;

const HTTP_RUNS = Number(process.env.HEDGE_HTTP_RUNS ?? 3);

function virtualRun(seed: number, hedged: boolean): { p50: number; p99: number; extra: number; losers: number; cancelled: number } {
  const scheduler = new VirtualTimeScheduler(undefined, Infinity);
  const random = seededRandom(seed);
  const model = scriptedModel('tail', () => ({ after: random() < 0.05 ? 400 : 20, reply: 'ok' }), { scheduler });
  const strategy: Model = hedged ? hedge(model, { after: 40, scheduler }) : model;
  const latencies: number[] = [];
  const requests: InferenceRequest[] = Array.from({ length: N }, (_v, i) => ({ id: `v${i}`, messages: [{ role: 'user', content: [{ text: 'q' }] }] }));
  let done = 0;
  from(requests)
    .pipe(
      mergeMap(
        (request) =>
          defer(() => {
            const t0 = scheduler.now();
            return of(request).pipe(
              strategy,
              finalize(() => latencies.push(scheduler.now() - t0)),
            );
          }),
        CONCURRENCY,
      ),
    )
    .subscribe({ next: () => void done++ });
  scheduler.flush();
  if (done !== N) throw new Error(`hedge virtual run: ${done} of ${N} answered`);
  latencies.sort((a, b) => a - b);
  const losers = model.calls.length - N;
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), extra: (losers / N) * 100, losers, cancelled: model.calls.filter((c) => c.end === 'unsubscribed').length };
}

export const hedgeScenario: Scenario = {
  name: 'hedge',
  title: 'Tail latency with hedge(m, { after: 40 }) on a 5% × 400 ms / 95% × 20 ms model',
  async run() {
    const emulator = await spawnEmulator();
    await emulator.setProfile(MODEL, { latency: { kind: 'tail', baseMs: 20, tailMs: 400, p: 0.05 }, outputTokens: 16 });
    const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
    const plain = bedrock.model(MODEL);
    const bus = createEventBus();
    let fired = 0;
    bus.events$.subscribe((e) => void (e.type === 'hedge-fired' && fired++));
    let sockets = 0;
    subscribeChannel('net.client.socket', () => void sockets++);
    const hedged = hedge(plain, { after: 40, events: bus });
    const once = async (model: Model, concurrency: number) => {
      const before = (await emulator.stats()).models[MODEL] ?? { calls: 0, cancelled: 0, successes: 0 };
      const latencies: number[] = [];
      const [fired0, sockets0] = [fired, sockets];
      const elu0 = performance.eventLoopUtilization();
      const lag = monitorEventLoopDelay({ resolution: 5 });
      lag.enable();
      const m = await measure(() =>
        pool(N, concurrency, async (i) => {
          const t0 = performance.now();
          await firstValueFrom(invoke(model, { id: `h${i}`, prompt: `Tell me about item ${i}` }));
          latencies.push(performance.now() - t0);
        }),
      );
      const elu = performance.eventLoopUtilization(elu0).utilization;
      lag.disable();
      const [started, connections] = [fired - fired0, sockets - sockets0];
      await sleep(500); // let the losers' aborts reach the counters
      const after = (await emulator.stats()).models[MODEL]!;
      latencies.sort((a, b) => a - b);
      return {
        p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), calls: after.calls - before.calls, cancelled: after.cancelled - before.cancelled,
        answered: after.successes - before.successes, started, connections, cpuUs: m.cpuUs / N, rps: (N / m.ms) * 1000, cores: m.cpuUs / 1000 / m.ms, elu, lag: lag.percentile(99) / 1e6,
      };
    };
    const virtual = { plainP50: [] as number[], plainP99: [] as number[], hedgedP50: [] as number[], hedgedP99: [] as number[], ratio: [] as number[], extra: [] as number[], losers: [] as number[], cancelled: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      const p = virtualRun(run + 1, false);
      const h = virtualRun(run + 1, true);
      virtual.plainP50.push(p.p50);
      virtual.plainP99.push(p.p99);
      virtual.hedgedP50.push(h.p50);
      virtual.hedgedP99.push(h.p99);
      virtual.ratio.push(h.p99 / p.p99);
      virtual.extra.push(h.extra);
      virtual.losers.push(h.losers);
      virtual.cancelled.push(h.cancelled);
    }
    const newRows = () => ({
      plainP50: [] as number[], plainP99: [] as number[], hedgedP50: [] as number[], hedgedP99: [] as number[], ratio: [] as number[], extra: [] as number[], losers: [] as number[], cancelled: [] as number[],
      answered: [] as number[], started: [] as number[], plainConnections: [] as number[], hedgedConnections: [] as number[], plainRps: [] as number[], hedgedRps: [] as number[],
      plainCpu: [] as number[], hedgedCpu: [] as number[], plainCores: [] as number[], hedgedCores: [] as number[], plainElu: [] as number[], hedgedElu: [] as number[], plainLag: [] as number[], hedgedLag: [] as number[],
    });
    const levels = HTTP_LEVELS.map((concurrency) => ({ concurrency, rows: newRows() }));
    try {
      await pool(100, 16, (i) => firstValueFrom(invoke(hedged, `warm ${i}`)));
      for (let run = 0; run < HTTP_RUNS; run++) {
        for (const { concurrency, rows } of levels) {
          const p = await once(plain, concurrency);
          const h = await once(hedged, concurrency);
          rows.plainP50.push(p.p50);
          rows.plainP99.push(p.p99);
          rows.hedgedP50.push(h.p50);
          rows.hedgedP99.push(h.p99);
          rows.ratio.push(h.p99 / p.p99);
          rows.extra.push(((h.calls - N) / N) * 100);
          rows.losers.push(h.calls - N);
          rows.cancelled.push(h.cancelled);
          rows.answered.push(h.answered - N);
          rows.started.push((h.started / N) * 100);
          rows.plainConnections.push(p.connections);
          rows.hedgedConnections.push(h.connections);
          rows.plainRps.push(p.rps);
          rows.hedgedRps.push(h.rps);
          rows.plainCpu.push(p.cpuUs);
          rows.hedgedCpu.push(h.cpuUs);
          rows.plainCores.push(p.cores);
          rows.hedgedCores.push(h.cores);
          rows.plainElu.push(p.elu);
          rows.hedgedElu.push(h.elu);
          rows.plainLag.push(p.lag);
          rows.hedgedLag.push(h.lag);
        }
      }
    } finally {
      bedrock.client.destroy();
      await emulator.close();
    }
    const ms = (x: number) => `${num(x, 0)} ms`;
    const s = summarize;
    const section = (r: typeof virtual | ReturnType<typeof newRows>, extraRows: string[][]) =>
      table(
        ['measure', 'min / median / max'],
        [
          ['p50 without hedge', showSummary(s(r.plainP50), ms)],
          ['p99 without hedge', showSummary(s(r.plainP99), ms)],
          ['p50 with hedge', showSummary(s(r.hedgedP50), ms)],
          ['p99 with hedge', showSummary(s(r.hedgedP99), ms)],
          ['p99 ratio hedged / plain (same run)', showSummary(s(r.ratio), (x) => `${num(x, 3)}×`)],
          ['extra calls', showSummary(s(r.extra), (x) => `${num(x, 2)}%`)],
          ['losers (extra calls)', showSummary(s(r.losers), (x) => num(x, 0))],
          ['losers cancelled', showSummary(s(r.cancelled), (x) => num(x, 0))],
          ...extraRows,
        ],
      );
    const httpRows = (r: ReturnType<typeof newRows>): string[][] => {
      const pair = (a: number[], b: number[], f: (x: number) => string) => `${showSummary(s(a), f)} → ${showSummary(s(b), f)}`;
      return [
        ['losers the emulator had already answered when the abort came', showSummary(s(r.answered), (x) => num(x, 0))],
        ['hedges started by the client (hedge-fired; a loser cancelled before it was sent never reaches the emulator)', showSummary(s(r.started), (x) => `${num(x, 2)}%`)],
        ['new TCP connections, plain → hedged (an aborted HTTP/1.1 request closes its socket)', pair(r.plainConnections, r.hedgedConnections, (x) => num(x, 0))],
        ['requests/s, plain → hedged', pair(r.plainRps, r.hedgedRps, (x) => num(x, 0))],
        ['client CPU µs / request, plain → hedged', pair(r.plainCpu, r.hedgedCpu, (x) => num(x, 0))],
        ['client CPU, cores, plain → hedged', pair(r.plainCores, r.hedgedCores, (x) => num(x, 2))],
        ['client event-loop utilisation, plain → hedged', pair(r.plainElu, r.hedgedElu, (x) => num(x, 2))],
        ['client event-loop delay p99, plain → hedged', pair(r.plainLag, r.hedgedLag, ms)],
      ];
    };
    const ratio = s(virtual.ratio).median;
    const extra = s(virtual.extra).median;
    const uncancelled = virtual.losers.map((l, i) => l - virtual.cancelled[i]!);
    const httpUncancelled = levels.flatMap(({ rows }) => rows.losers.map((l, i) => l - rows.cancelled[i]! - rows.answered[i]!));
    const demand = (c: number, r: ReturnType<typeof newRows>) => ((c / MEAN_MS) * 1000 * s(r.plainCpu).median) / 1e6;
    return {
      lines: [
        `**Virtual time** (scriptedModel on a VirtualTimeScheduler; ${RUNS} seeds, ${N.toLocaleString('en')} requests at concurrency ${CONCURRENCY} each)`,
        '',
        ...section(virtual, []),
        '',
        ...levels.flatMap(({ concurrency, rows }) => [
          `**Over HTTP, concurrency ${concurrency}** (createBedrock's client, emulator in its own process; ${HTTP_RUNS} run(s) of ${N.toLocaleString('en')} requests, plain then hedged). CPU the client would need to keep ${concurrency} in flight without queueing: ${concurrency} / ${MEAN_MS} ms mean model latency × ${num(s(rows.plainCpu).median, 0)} µs = ${num(demand(concurrency, rows), 2)} cores of its one event-loop thread. Load average after: ${load()}.`,
          '',
          ...section(rows, httpRows(rows)),
          '',
        ]),
        ...table(
          ['target', 'measured (median)', 'verdict'],
          [
            ['p99 with hedge ≤ 0.2× without (virtual time)', `${num(ratio, 3)}×`, verdict(ratio <= 0.2)],
            ['extra calls ≤ 6% (virtual time)', `${num(extra, 2)}%`, verdict(extra <= 6)],
            ['every loser cancelled (virtual time: losers − unsubscribed per run)', uncancelled.join(', '), verdict(uncancelled.every((u) => u === 0))],
            ['every loser cancelled or already answered (HTTP, both levels: losers − cancelled − answered per run)', httpUncancelled.join(', '), verdict(httpUncancelled.every((u) => u === 0))],
            ...levels.flatMap(({ concurrency, rows }) => [
              [`p99 with hedge ≤ 0.2× without (HTTP, concurrency ${concurrency})`, `${num(s(rows.ratio).median, 3)}×`, verdict(s(rows.ratio).median <= 0.2)],
              [`extra calls ≤ 6% (HTTP, concurrency ${concurrency}, emulator counters)`, `${num(s(rows.extra).median, 2)}%`, verdict(s(rows.extra).median <= 6)],
            ]),
          ],
        ),
      ],
    };
  },
};
