/**
 * `quorum`: a 5-model ensemble answering 300 sentiment questions from the
 * emulator (own process), with `quorum: 3` (answer once 3 agree, cancel the
 * rest) versus waiting for all five. Accuracy against the questions' labels;
 * billed output tokens from the emulator's counters.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { firstValueFrom } from 'rxjs';
import { createBedrock, ensemble, invoke, normalizeAnswer, seededRandom, vote, type InferenceResponse, type Model } from 'rx-bedrock';
import { sentimentQuestions } from 'rx-bedrock/emulator';
import { EMULATOR_CREDENTIALS, load, num, pool, RUNS, showSummary, sleep, spawnEmulator, summarize, table, verdict, type Scenario } from '../harness.js';

const QUESTIONS = Number(process.env.QUORUM_QUESTIONS ?? 300);
/** Questions in flight; `QUORUM_CONCURRENCY` lowers it to see the ensemble without a CPU-bound client. */
const CONCURRENCY = Number(process.env.QUORUM_CONCURRENCY ?? 32);
const ACCURACY = 0.85;
/** Five members of the same accuracy: three fast, two slow (as a mix of small and large models is). */
const MEMBERS: readonly [string, number, number][] = [
  ['bench.member-1', 20, 60],
  ['bench.member-2', 30, 80],
  ['bench.member-3', 40, 100],
  ['bench.member-4', 400, 800],
  ['bench.member-5', 600, 1_000],
];

/** Student's t, 97.5% quantile, for 1…10 degrees of freedom (a 95% interval of a mean over few runs). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/**
 * The design's token ratio, by simulation: members right with probability p
 * and independent, a wrong one naming one of the two other labels at random
 * (as the emulator does), arriving in the order of draws from their latency
 * ranges; a question bills the members that answered before the ensemble
 * stopped: when 3 agree, or (`settled`) when vote() says the members still out
 * could not change its answer. Returns E[billed] / 5 and the SD of one question's share.
 */
function designRatio(p: number, settled: boolean, samples = 200_000): { mean: number; sd: number } {
  const random = seededRandom(7);
  const combiner = vote();
  const label = (): string => (random() < p ? 'right' : random() < 0.5 ? 'wrong-1' : 'wrong-2');
  let sum = 0;
  let squares = 0;
  for (let s = 0; s < samples; s++) {
    const order = MEMBERS.map(([, min, max]) => ({ at: min + random() * (max - min), text: label() })).sort((a, b) => a.at - b.at);
    const answers: InferenceResponse[] = [];
    const votes = new Map<string, number>();
    for (const { text } of order) {
      answers.push({ text } as InferenceResponse);
      const count = (votes.get(text) ?? 0) + 1;
      votes.set(text, count);
      if (count >= 3 || (settled && combiner.settled!(answers, MEMBERS.length - answers.length))) break;
    }
    const share = answers.length / MEMBERS.length;
    sum += share;
    squares += share * share;
  }
  const mean = sum / samples;
  return { mean, sd: Math.sqrt(squares / samples - mean * mean) };
}

export const quorum: Scenario = {
  name: 'quorum',
  title: '5-model ensemble, quorum 3 vs all five: accuracy and billed output tokens',
  async run() {
    const emulator = await spawnEmulator();
    for (const [id, minMs, maxMs] of MEMBERS) await emulator.setProfile(id, { latency: { kind: 'uniform', minMs, maxMs }, accuracy: ACCURACY });
    const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
    const members = MEMBERS.map(([id]) => bedrock.model(id));
    const full = ensemble(members, { combine: vote() });
    const early = ensemble(members, { combine: vote(), quorum: 3 });
    const billed = async () => {
      const stats = await emulator.stats();
      const sum = (f: (m: { outputTokens: number; cancelled: number; calls: number }) => number) => MEMBERS.reduce((t, [id]) => t + (stats.models[id] ? f(stats.models[id]!) : 0), 0);
      return { tokens: sum((m) => m.outputTokens), cancelled: sum((m) => m.cancelled), calls: sum((m) => m.calls) };
    };
    const once = async (model: Model, seed: number) => {
      const questions = sentimentQuestions(QUESTIONS, seed);
      const before = await billed();
      let right = 0;
      let answered = 0;
      const lag = monitorEventLoopDelay({ resolution: 5 });
      const elu0 = performance.eventLoopUtilization();
      lag.enable();
      await pool(QUESTIONS, CONCURRENCY, async (i) => {
        const q = questions[i]!;
        const r = await firstValueFrom(invoke(model, { id: `q${seed}-${i}`, prompt: q.prompt }));
        if (normalizeAnswer(r.text) === q.expected) right++;
        answered += Number(r.details?.['answered'] ?? 0);
      });
      lag.disable();
      const elu = performance.eventLoopUtilization(elu0).utilization;
      await sleep(300); // cancelled members settle
      const after = await billed();
      return { accuracy: right / QUESTIONS, right, answered, lag: lag.percentile(99) / 1e6, elu, tokens: after.tokens - before.tokens, cancelled: after.cancelled - before.cancelled, calls: after.calls - before.calls };
    };
    const acc = { full: [] as number[], quorum: [] as number[] };
    const tokens = { full: [] as number[], quorum: [] as number[], ratio: [] as number[] };
    const cancelled: number[] = [];
    const seen = { full: [] as number[], quorum: [] as number[], right: [] as number[], lag: [] as number[], elu: [] as number[] };
    try {
      for (let run = 0; run < RUNS; run++) {
        const f = await once(full, run + 1);
        const q = await once(early, run + 1);
        acc.full.push(f.accuracy);
        acc.quorum.push(q.accuracy);
        tokens.full.push(f.tokens);
        tokens.quorum.push(q.tokens);
        tokens.ratio.push(q.tokens / f.tokens);
        cancelled.push(q.cancelled);
        seen.full.push(f.answered);
        seen.quorum.push(q.answered);
        seen.right.push(q.right - f.right);
        seen.lag.push(q.lag);
        seen.elu.push(q.elu);
      }
    } finally {
      bedrock.client.destroy();
      await emulator.close();
    }
    const pct = (x: number) => `${num(x * 100, 1)}%`;
    const diffs = acc.quorum.map((q, i) => q - acc.full[i]!);
    const ratio = summarize(tokens.ratio).median;
    const mean = tokens.ratio.reduce((a, b) => a + b, 0) / RUNS;
    const sdRuns = Math.sqrt(tokens.ratio.reduce((a, r) => a + (r - mean) ** 2, 0) / Math.max(1, RUNS - 1));
    const half = (T975[Math.min(RUNS - 1, T975.length) - 1] ?? 1.96) * (sdRuns / Math.sqrt(RUNS));
    const pooled = tokens.quorum.reduce((a, b) => a + b, 0) / tokens.full.reduce((a, b) => a + b, 0);
    const design = designRatio(ACCURACY, true);
    const quorumOnly = designRatio(ACCURACY, false);
    const perRun = design.sd / Math.sqrt(QUESTIONS);
    const ci = (x: number, h: number) => `${num(x, 3)}× (95%: ${num(x - h, 3)}–${num(x + h, 3)}×)`;
    return {
      lines: [
        `${RUNS} runs (question seeds 1…${RUNS}) of ${QUESTIONS} sentiment questions, ${CONCURRENCY} in flight; members of accuracy ${ACCURACY}, uniform latencies ${MEMBERS.map(([, a, b]) => `${a}–${b}`).join(', ')} ms. Load average after: ${load()}.`,
        '',
        ...table(
          ['ensemble', 'accuracy (min / median / max)', 'output tokens billed'],
          [
            ['all five, vote()', showSummary(summarize(acc.full), pct), showSummary(summarize(tokens.full), (x) => num(x, 0))],
            ['quorum: 3, vote()', showSummary(summarize(acc.quorum), pct), showSummary(summarize(tokens.quorum), (x) => num(x, 0))],
            ['quorum: members cancelled (emulator)', '', showSummary(summarize(cancelled), (x) => num(x, 0))],
          ],
        ),
        '',
        ...table(
          ['token ratio quorum / full', 'value'],
          [
            ['per run', tokens.ratio.map((r) => `${num(r, 3)}×`).join(', ')],
            [`mean of the runs (95% t-interval over ${RUNS} runs)`, ci(mean, half)],
            ['pooled over all runs', `${num(pooled, 3)}×`],
            [
              'members the ensemble took answers from, quorum / full, pooled (its decisions, without answers the emulator had sent before the abort arrived)',
              `${num(seen.quorum.reduce((a, b) => a + b, 0) / seen.full.reduce((a, b) => a + b, 0), 3)}×`,
            ],
            ['client event-loop utilisation / delay p99 during the quorum runs', `${showSummary(summarize(seen.elu), (x) => num(x, 2))} / ${showSummary(summarize(seen.lag), (x) => `${num(x, 0)} ms`)}`],
            ['billed answers the quorum ensemble had cancelled (emulator answered before the abort), per run', tokens.quorum.map((t, i) => num(t - seen.quorum[i]!, 0)).join(', ')],
            [`design expectation (simulated, ${ACCURACY} accuracy; ± 1.96 SD of one run of ${QUESTIONS} questions)`, ci(design.mean, 1.96 * perRun)],
            ['same, stopping only when 3 agree (before vote() was `settled`-aware)', ci(quorumOnly.mean, (1.96 * quorumOnly.sd) / Math.sqrt(QUESTIONS))],
          ],
        ),
        '',
        ...table(
          ['target', 'measured', 'verdict'],
          [
            ['same accuracy (quorum − full, per run)', diffs.map((d) => `${d >= 0 ? '+' : ''}${num(d * 100, 1)} pt`).join(', '), verdict(seen.right.every((d) => Math.abs(d) <= QUESTIONS / 100))],
            ['billed output tokens ≤ 0.7× (median of per-run ratios)', `${num(ratio, 3)}×`, verdict(ratio <= 0.7)],
          ],
        ),
        '',
        `Expected token ratio: with members right with probability p and independent, the ensemble bills 3 members when the three fast ones agree, 4 when two of them and the next slow one agree or the vote is settled after four, else 5. Simulated with the emulator's rule for wrong answers (one of the two other labels, so two wrong members agree half the time): ${num(design.mean, 3)}× at p = ${ACCURACY} (p = 0.8: ${num(designRatio(0.8, true).mean, 3)}×, p = 0.7: ${num(designRatio(0.7, true).mean, 3)}×). One run of ${QUESTIONS} questions lands within ±${num(1.96 * perRun, 3)} of it 95% of the time, so a single run can miss 0.7 by chance while the design meets it.`,
        '',
        'Quorum 3 of 5 can only differ from the full vote when no three members agree (a 2–2–1 or 2–1–1–1 split), where it takes the plurality of everyone; a difference of ±1 point is noise of those splits.',
      ],
    };
  },
};
