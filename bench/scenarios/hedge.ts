/**
 * `hedge`: a model where 5% of calls take 400 ms and 95% take 20 ms, 2,000
 * requests at concurrency 32, without and with `hedge(m, { after: 40 })`.
 *
 * 1. Virtual time (the strategy itself, free of machine noise): a
 *    `scriptedModel` on a `VirtualTimeScheduler`, one seed per run; latency per
 *    request from subscription to answer, extra and cancelled calls from the
 *    model's own call record.
 * 2. Over HTTP: createBedrock's model against the emulator in its own process;
 *    extra calls and cancelled losers from the emulator's counters (deltas).
 *    The client is CPU-bound on a loaded 2-core machine (≈ 3 ms of CPU per SDK
 *    call), so its latencies are mostly queueing in the client.
 */
import { defer, finalize, firstValueFrom, from, mergeMap, of, VirtualTimeScheduler } from 'rxjs';
import { createBedrock, hedge, invoke, seededRandom, type InferenceRequest, type Model } from 'rx-bedrock';
import { scriptedModel } from 'rx-bedrock/testing';
import { EMULATOR_CREDENTIALS, load, num, pool, quantile, RUNS, showSummary, sleep, spawnEmulator, summarize, table, verdict, type Scenario } from '../harness.js';

const MODEL = 'bench.tail-model';
const N = Number(process.env.HEDGE_N ?? 2_000);
const CONCURRENCY = 32;

const HTTP_RUNS = Number(process.env.HEDGE_HTTP_RUNS ?? 1);

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
    const hedged = hedge(plain, { after: 40 });
    const once = async (model: Model) => {
      const before = (await emulator.stats()).models[MODEL] ?? { calls: 0, cancelled: 0, successes: 0 };
      const latencies: number[] = [];
      await pool(N, CONCURRENCY, async (i) => {
        const t0 = performance.now();
        await firstValueFrom(invoke(model, { id: `h${i}`, prompt: `Tell me about item ${i}` }));
        latencies.push(performance.now() - t0);
      });
      await sleep(500); // let the losers' aborts reach the counters
      const after = (await emulator.stats()).models[MODEL]!;
      latencies.sort((a, b) => a - b);
      return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), calls: after.calls - before.calls, cancelled: after.cancelled - before.cancelled, answered: after.successes - before.successes };
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
    const rows = { plainP50: [] as number[], plainP99: [] as number[], hedgedP50: [] as number[], hedgedP99: [] as number[], ratio: [] as number[], extra: [] as number[], losers: [] as number[], cancelled: [] as number[], answered: [] as number[] };
    try {
      await pool(100, 16, (i) => firstValueFrom(invoke(hedged, `warm ${i}`)));
      for (let run = 0; run < HTTP_RUNS; run++) {
        const p = await once(plain);
        const h = await once(hedged);
        rows.plainP50.push(p.p50);
        rows.plainP99.push(p.p99);
        rows.hedgedP50.push(h.p50);
        rows.hedgedP99.push(h.p99);
        rows.ratio.push(h.p99 / p.p99);
        rows.extra.push(((h.calls - N) / N) * 100);
        rows.losers.push(h.calls - N);
        rows.cancelled.push(h.cancelled);
        rows.answered.push(h.answered - N);
      }
    } finally {
      bedrock.client.destroy();
      await emulator.close();
    }
    const ms = (x: number) => `${num(x, 0)} ms`;
    const s = summarize;
    const section = (r: typeof rows | typeof virtual, extraRows: string[][]) =>
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
    const ratio = s(virtual.ratio).median;
    const extra = s(virtual.extra).median;
    const uncancelled = virtual.losers.map((l, i) => l - virtual.cancelled[i]!);
    const httpUncancelled = rows.losers.map((l, i) => l - rows.cancelled[i]! - rows.answered[i]!);
    return {
      lines: [
        `**Virtual time** (scriptedModel on a VirtualTimeScheduler; ${RUNS} seeds, ${N.toLocaleString('en')} requests at concurrency ${CONCURRENCY} each)`,
        '',
        ...section(virtual, []),
        '',
        `**Over HTTP** (emulator in its own process; ${HTTP_RUNS} run(s) of ${N.toLocaleString('en')} requests at concurrency ${CONCURRENCY}, plain then hedged). Load average after: ${load()}.`,
        '',
        ...section(rows, [['losers the emulator had already answered when the abort came', showSummary(s(rows.answered), (x) => num(x, 0))]]),
        '',
        ...table(
          ['target', 'measured (median)', 'verdict'],
          [
            ['p99 with hedge ≤ 0.2× without (virtual time)', `${num(ratio, 3)}×`, verdict(ratio <= 0.2)],
            ['extra calls ≤ 6% (virtual time)', `${num(extra, 2)}%`, verdict(extra <= 6)],
            ['every loser cancelled (virtual time: losers − unsubscribed per run)', uncancelled.join(', '), verdict(uncancelled.every((u) => u === 0))],
            ['every loser cancelled or already answered (HTTP: losers − cancelled − answered per run)', httpUncancelled.join(', '), verdict(httpUncancelled.every((u) => u === 0))],
            ['p99 with hedge ≤ 0.2× without (HTTP, CPU-bound client)', `${num(s(rows.ratio).median, 3)}×`, verdict(s(rows.ratio).median <= 0.2)],
          ],
        ),
      ],
    };
  },
};
