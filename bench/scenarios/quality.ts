/**
 * `quality`: three emulator models of accuracy 0.7 answer 300 sentiment
 * questions (`sentimentQuestions` of rx-bedrock/emulator), alone and as
 * `ensemble([a, b, c], { combine: vote() })`; the vote should beat each.
 * Each model's own accuracy is scored on the very answers the vote combined
 * (a recording wrapper around `vote()`), so singles and vote see the same draws.
 */
import { firstValueFrom } from 'rxjs';
import { createBedrock, ensemble, invoke, normalizeAnswer, vote, type Combiner, type InferenceResponse } from 'rx-bedrock';
import { sentimentQuestions } from 'rx-bedrock/emulator';
import { EMULATOR_CREDENTIALS, load, num, pool, RUNS, showSummary, spawnEmulator, summarize, table, verdict, type Scenario } from '../harness.js';

const QUESTIONS = 300;
const MODELS = ['bench.judge-a', 'bench.judge-b', 'bench.judge-c'];

export const quality: Scenario = {
  name: 'quality',
  title: 'Majority vote of three 0.7-accuracy models vs each alone, 300 sentiment questions',
  async run() {
    const emulator = await spawnEmulator();
    for (const id of MODELS) await emulator.setProfile(id, { latency: { kind: 'fixed', ms: 0 }, accuracy: 0.7 });
    const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
    const singles = MODELS.map((id) => bedrock.model(id));
    const voter = vote();
    let members: readonly InferenceResponse[] = [];
    const recording: Combiner = {
      ...voter,
      combine: (responses, request) => {
        members = responses;
        return voter.combine(responses, request);
      },
    };
    const voted = ensemble(singles, { combine: recording });
    const accuracyOf = async (seed: number) => {
      const questions = sentimentQuestions(QUESTIONS, seed);
      let right = 0;
      const alone = MODELS.map(() => 0);
      await pool(QUESTIONS, 16, async (i) => {
        const r = await firstValueFrom(invoke(voted, { id: `v${seed}-${i}`, prompt: questions[i]!.prompt }));
        const seen = members;
        if (normalizeAnswer(r.text) === questions[i]!.expected) right++;
        for (const m of seen) if (normalizeAnswer(m.text) === questions[i]!.expected) alone[MODELS.indexOf(m.modelId)]!++;
      });
      return { vote: right / QUESTIONS, alone: alone.map((a) => a / QUESTIONS) };
    };
    const single: number[][] = MODELS.map(() => []);
    const vote3: number[] = [];
    const margin: number[] = [];
    try {
      for (let run = 0; run < RUNS; run++) {
        const seed = 100 + run;
        const { vote: v, alone } = await accuracyOf(seed);
        alone.forEach((a, i) => single[i]!.push(a));
        vote3.push(v);
        margin.push(v - Math.max(...alone));
      }
    } finally {
      bedrock.client.destroy();
      await emulator.close();
    }
    const pct = (x: number) => `${num(x * 100, 1)}%`;
    return {
      lines: [
        `${RUNS} runs (question seeds 100…${100 + RUNS - 1}) of ${QUESTIONS} questions; emulator in its own process; accuracy 0.7 each. Load average after: ${load()}.`,
        '',
        ...table(
          ['model', 'accuracy (min / median / max)'],
          [
            ...MODELS.map((id, i) => [id, showSummary(summarize(single[i]!), pct)]),
            ['ensemble(vote()) of the three', showSummary(summarize(vote3), pct)],
            ['vote − best single, same run (points)', showSummary(summarize(margin), (x) => `${num(x * 100, 1)}`)],
          ],
        ),
        '',
        ...table(['target', 'measured', 'verdict'], [['vote beats every single model in every run', margin.map((m) => `+${num(m * 100, 1)}`).join(', '), verdict(margin.every((m) => m > 0))]]),
        '',
        'Expected with independent errors: a 2-of-3 majority of 0.7 is 0.7³ + 3·0.7²·0.3 = 78.4%, and a bit more when the wrong answers split between two labels.',
      ],
    };
  },
};
