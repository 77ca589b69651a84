import { parseArgs } from 'node:util';
import { lastValueFrom, toArray } from 'rxjs';
import { isRight } from 'fp-ts/lib/Either.js';
import { createBedrock } from '../bedrock/createBedrock.js';
import { createEventBus } from '../core/events.js';
import { startEmulator } from '../emulator/index.js';
import { sentimentQuestions } from '../emulator/sentiment.js';
import { createMetrics } from '../observe/createMetrics.js';
import { ensemble } from '../strategies/ensemble.js';
import { fallback } from '../strategies/fallback.js';
import { vote } from '../strategies/combiners/vote.js';
import { withRetry } from '../strategies/withRetry.js';
import { orchestrateFrom } from '../stream/orchestrateFrom.js';
import { modelSummary } from './modelSummary.js';
import { EXIT } from './usage.js';

const normalize = (text: string) => text.trim().toLowerCase();

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'amazon.nova-lite-v1:0';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';
const MISTRAL = 'mistral.mistral-7b-instruct-v0:2';

/**
 * `rx-bedrock demo` (`npm start`): starts an embedded emulator, runs a small
 * workload through a fallback over a flaky model and an ensemble vote, and
 * prints what happened per model. No AWS account needed.
 */
export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { requests: { type: 'string', default: '60' } }, strict: true });
  const count = Number(values.requests);
  const emulator = await startEmulator({
    models: {
      // The primary fails a third of the time, so the fallback has work to do.
      [HAIKU]: { failures: { ThrottlingException: 0.2, InternalServerException: 0.1 }, accuracy: 0.7 },
      [NOVA]: { accuracy: 0.7 },
      [LLAMA]: { accuracy: 0.7 },
      [MISTRAL]: { accuracy: 0.7 },
    },
  });
  const events = createEventBus();
  const collector = createMetrics(events.events$);
  try {
    const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }, events });
    const questions = sentimentQuestions(count, 1);

    const resilient = fallback(withRetry(bedrock.model(HAIKU), { count: 1, backoff: { initialMs: 10, factor: 2, maxMs: 50, jitter: 'full' } }), bedrock.model(NOVA));
    const first = await lastValueFrom(orchestrateFrom(questions.map((q) => q.prompt), resilient, { concurrency: 8, events, strategy: 'fallback' }).pipe(toArray()));

    const voted = ensemble([bedrock.model(NOVA), bedrock.model(LLAMA), bedrock.model(MISTRAL)], { combine: vote() });
    const second = await lastValueFrom(
      orchestrateFrom(questions.map((q, i) => ({ id: `q${i}`, prompt: q.prompt })), voted, { concurrency: 8, events, strategy: 'ensemble' }).pipe(toArray()),
    );

    const ok = (outcomes: typeof first) => outcomes.filter(isRight).length;
    // Outcomes arrive as requests finish; ids (q<index>) tie each back to its question.
    const answered = second.flatMap((o) => (isRight(o) ? [o.right] : []));
    const expectedOf = (requestId: string) => questions[Number(requestId.slice(1))]!.expected;
    const correct = answered.filter((r) => normalize(r.text) === expectedOf(r.requestId)).length;
    const alone = answered.filter((r) => normalize(r.parts?.find((p) => p.modelId === NOVA)?.text ?? '') === expectedOf(r.requestId)).length;

    process.stdout.write(`rx-bedrock demo against the embedded emulator at ${emulator.endpoint}\n\n`);
    process.stdout.write(`fallback(withRetry(claude-3-haiku, 1), nova-lite): ${ok(first)}/${first.length} requests answered (haiku fails 30% of calls)\n`);
    process.stdout.write(`ensemble([nova-lite, llama3-8b, mistral-7b], vote()): ${correct}/${second.length} sentiment answers right (nova-lite alone: ${alone}/${second.length})\n\n`);
    process.stdout.write(modelSummary(collector.snapshot()));
    return EXIT.ok;
  } finally {
    collector.stop();
    await emulator.close();
  }
}
