/**
 * `adaptive`: three scripted models answering synchronously (virtual time: no
 * latency, so the objective is the success rate alone); the best one's success
 * rate drops from 0.99 to 0.5 at request 5,000 of 10,000. Cumulative regret
 * against the oracle (the model with the highest success rate at that moment;
 * regret of a request = oracle's rate − chosen model's rate, so it is not the
 * luck of the draws) for `adaptive` (Thompson sampling, the default) and for
 * the original design's rule `success × 10000 / (latency + 100) + 0.1 / (count + 1)`
 * reimplemented here (running means, optimistic start so each model is tried
 * once, on a failure the next-best model that has not failed for the request —
 * the same fallback as adaptive, kinder than the original's re-selection).
 * Re-convergence: requests after the change until the oracle model is chosen
 * for at least 80% of the next 100; the oracle's share of requests
 * 5,200–10,000 then says whether it stayed there.
 */
import { firstValueFrom, mergeMap, of, throwError } from 'rxjs';
import { adaptive, assistantMessage, invoke, ModelError, seededRandom, type InferenceRequest, type Model } from 'rx-bedrock';
import { num, RUNS, showSummary, summarize, table, verdict, type Scenario } from '../harness.js';

const N = 10_000;
const CHANGE = 5_000;
const WINDOW = 100;
const IDS = ['a', 'b', 'c'] as const;
type Id = (typeof IDS)[number];

/** True success rate of each model at request `t`. */
const rate = (id: Id, t: number): number => (id === 'a' ? (t < CHANGE ? 0.99 : 0.5) : id === 'b' ? 0.9 : 0.75);
const oracle = (t: number): Id => (t < CHANGE ? 'a' : 'b');

interface Trace {
  readonly regret: number;
  readonly regretAfter: number;
  readonly reconverged: number;
  /** Share of requests 5,200–10,000 sent to the oracle model. */
  readonly share: number;
}

function traceOf(choices: readonly Id[]): Trace {
  let regret = 0;
  let regretAfter = 0;
  choices.forEach((id, t) => {
    const r = rate(oracle(t), t) - rate(id, t);
    regret += r;
    if (t >= CHANGE) regretAfter += r;
  });
  // the first request n after the change from which the next WINDOW choices are ≥ 80% the oracle's
  const hit: number[] = choices.map((id, t) => (id === oracle(t) ? 1 : 0));
  let reconverged = N - CHANGE;
  let ahead = hit.slice(CHANGE, CHANGE + WINDOW).reduce((a, b) => a + b, 0);
  for (let n = CHANGE; n + WINDOW <= N; n++) {
    if (ahead >= 0.8 * WINDOW) {
      reconverged = n - CHANGE;
      break;
    }
    ahead += (hit[n + WINDOW] ?? 0) - hit[n]!;
  }
  const settled = hit.slice(CHANGE + 200);
  const share = settled.reduce((a, b) => a + b, 0) / settled.length;
  return { regret, regretAfter, reconverged, share };
}

/** A scripted world: one seeded coin per model, shared by whichever policy asks. */
function world(seed: number) {
  const coins = Object.fromEntries(IDS.map((id, i) => [id, seededRandom(seed * 31 + i)])) as Record<Id, () => number>;
  return (id: Id, t: number): boolean => coins[id]() < rate(id, t);
}

async function runAdaptive(seed: number): Promise<Id[]> {
  const succeeds = world(seed);
  const first: Id[] = [];
  let t = 0;
  const model = (id: Id): Model =>
    mergeMap((request: InferenceRequest) => {
      if (first[t] === undefined) first[t] = id;
      return succeeds(id, t)
        ? of({ requestId: request.id, modelId: id, text: 'ok', message: assistantMessage('ok'), stopReason: 'end_turn' as const, usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 0, attempts: [] })
        : throwError(() => new ModelError('unavailable', `${id} failed`, { modelId: id, requestId: request.id }));
    });
  const chooser = adaptive({ a: model('a'), b: model('b'), c: model('c') }, { random: seededRandom(seed) });
  for (t = 0; t < N; t++) await firstValueFrom(invoke(chooser, { id: `q${t}`, prompt: 'q' })).catch(() => undefined);
  return first;
}

function runOriginal(seed: number): Id[] {
  const succeeds = world(seed);
  const stats = Object.fromEntries(IDS.map((id) => [id, { count: 0, successes: 0, latencyMs: 0 }])) as Record<Id, { count: number; successes: number; latencyMs: number }>;
  const score = (id: Id): number => {
    const s = stats[id];
    const success = s.count === 0 ? 1 : s.successes / s.count;
    return (success * 10_000) / (s.latencyMs + 100) + 0.1 / (s.count + 1);
  };
  const first: Id[] = [];
  for (let t = 0; t < N; t++) {
    const failed = new Set<Id>();
    for (;;) {
      const candidates = IDS.filter((id) => !failed.has(id));
      if (candidates.length === 0) break;
      const id = candidates.reduce((best, c) => (score(c) > score(best) ? c : best));
      if (first[t] === undefined) first[t] = id;
      const ok = succeeds(id, t);
      stats[id].count++;
      if (ok) {
        stats[id].successes++;
        break;
      }
      failed.add(id);
    }
  }
  return first;
}

export const adaptiveScenario: Scenario = {
  name: 'adaptive',
  title: 'Regret of adaptive vs the original scoring rule when the best model degrades mid-run',
  async run() {
    const ours: Trace[] = [];
    const theirs: Trace[] = [];
    for (let run = 0; run < RUNS; run++) {
      ours.push(traceOf(await runAdaptive(run + 1)));
      theirs.push(traceOf(runOriginal(run + 1)));
    }
    const ratios = ours.map((o, i) => o.regret / theirs[i]!.regret);
    const f = (x: number) => num(x, 1);
    const row = (name: string, ts: Trace[]) => [
      name,
      showSummary(summarize(ts.map((t) => t.regret)), f),
      showSummary(summarize(ts.map((t) => t.regretAfter)), f),
      showSummary(summarize(ts.map((t) => t.reconverged)), (x) => num(x, 0)),
      showSummary(summarize(ts.map((t) => t.share * 100)), (x) => `${num(x, 1)}%`),
    ];
    const ratio = summarize(ratios).median;
    const reconverged = summarize(ours.map((t) => t.reconverged));
    return {
      lines: [
        `${RUNS} seeds; ${N.toLocaleString('en')} requests; success rates a 0.99 → 0.5 at request ${CHANGE.toLocaleString('en')}, b 0.9, c 0.75; adaptive with its defaults (Thompson sampling, alpha 0.05). A re-convergence of ${(N - CHANGE).toLocaleString('en')} means never.`,
        '',
        ...table(['policy', 'cumulative regret (min / median / max)', 'regret after the change', 'requests to re-converge', 'oracle share, requests 5,200–10,000'], [row('adaptive (Thompson)', ours), row('original rule', theirs)]),
        '',
        ...table(
          ['target', 'measured', 'verdict'],
          [
            ['regret ≤ 0.5× the original (median of per-seed ratios)', `${num(ratio, 3)}×`, verdict(ratio <= 0.5)],
            ['re-converged within 200 requests (worst seed)', `${num(reconverged.max, 0)} (median ${num(reconverged.median, 0)})`, verdict(reconverged.max <= 200)],
          ],
        ),
      ],
    };
  },
};
