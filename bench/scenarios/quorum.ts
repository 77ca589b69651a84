/**
 * `quorum`: a 5-model ensemble answering 300 sentiment questions from the
 * emulator (own process), with `quorum: 3` (answer once 3 agree, cancel the
 * rest) versus waiting for all five. Accuracy against the questions' labels;
 * billed output tokens from the emulator's counters.
 */
import { firstValueFrom } from 'rxjs';
import { createBedrock, ensemble, invoke, normalizeAnswer, vote, type Model } from 'rx-bedrock';
import { sentimentQuestions } from 'rx-bedrock/emulator';
import { EMULATOR_CREDENTIALS, load, num, pool, RUNS, showSummary, sleep, spawnEmulator, summarize, table, verdict, type Scenario } from '../harness.js';

const QUESTIONS = 300;
const CONCURRENCY = 32;
const ACCURACY = 0.85;
/** Five members of the same accuracy: three fast, two slow (as a mix of small and large models is). */
const MEMBERS: readonly [string, number, number][] = [
  ['bench.member-1', 20, 60],
  ['bench.member-2', 30, 80],
  ['bench.member-3', 40, 100],
  ['bench.member-4', 400, 800],
  ['bench.member-5', 600, 1_000],
];

/** E[members needed] / 5 for a 3-of-5 quorum of independent members right with probability p (wrong answers assumed to disagree). */
function expectedRatio(p: number): number {
  const three = p ** 3;
  const four = 3 * p ** 2 * (1 - p) * p;
  return (3 * three + 4 * four + 5 * (1 - three - four)) / 5;
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
      await pool(QUESTIONS, CONCURRENCY, async (i) => {
        const q = questions[i]!;
        const r = await firstValueFrom(invoke(model, { id: `q${seed}-${i}`, prompt: q.prompt }));
        if (normalizeAnswer(r.text) === q.expected) right++;
      });
      await sleep(300); // cancelled members settle
      const after = await billed();
      return { accuracy: right / QUESTIONS, tokens: after.tokens - before.tokens, cancelled: after.cancelled - before.cancelled, calls: after.calls - before.calls };
    };
    const acc = { full: [] as number[], quorum: [] as number[] };
    const tokens = { full: [] as number[], quorum: [] as number[], ratio: [] as number[] };
    const cancelled: number[] = [];
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
      }
    } finally {
      bedrock.client.destroy();
      await emulator.close();
    }
    const pct = (x: number) => `${num(x * 100, 1)}%`;
    const diffs = acc.quorum.map((q, i) => q - acc.full[i]!);
    const ratio = summarize(tokens.ratio).median;
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
          ['target', 'measured', 'verdict'],
          [
            ['same accuracy (quorum − full, per run)', diffs.map((d) => `${d >= 0 ? '+' : ''}${num(d * 100, 1)} pt`).join(', '), verdict(diffs.every((d) => Math.abs(d) <= 0.01))],
            ['billed output tokens ≤ 0.7× (median of per-run ratios)', `${num(ratio, 3)}×`, verdict(ratio <= 0.7)],
          ],
        ),
        '',
        `Expected token ratio, if members err independently and a fast member's answer is billed, a cancelled slow one's not: members needed = 3 when the three fast agree (p³), 4 when two of them and the fourth are right (3p³(1−p)), else 5; with p = ${ACCURACY}: ${num(expectedRatio(ACCURACY), 3)}× (p = 0.8: ${num(expectedRatio(0.8), 3)}×, p = 0.7: ${num(expectedRatio(0.7), 3)}×). The target holds for members right about 85% of the time or more; below that, a quorum of 3 of 5 needs the fourth or fifth member too often.`,
        '',
        'Quorum 3 of 5 can only differ from the full vote when no three members agree (a 2–2–1 or 2–1–1–1 split), where it takes the plurality of everyone; a difference of ±1 point is noise of those splits.',
      ],
    };
  },
};
