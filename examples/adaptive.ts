// Pattern: adaptive selection. Every answer (success, latency, cost) updates an
// EMA score per (task, model); a bandit policy (Thompson sampling or UCB1) picks
// the best-scoring model while still exploring the others. A failure moves the
// request on to the next-best model, so nothing is lost while it learns.
import { isRight } from 'fp-ts/lib/Either.js';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { adaptive, createBedrock, orchestrateFrom, seededRandom } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

const MICRO = 'amazon.nova-micro-v1:0'; // fast, but fails half the time
const LITE = 'amazon.nova-lite-v1:0'; // fast and reliable
const PRO = 'amazon.nova-pro-v1:0'; // reliable, but slow and dearer
const emulator = await startEmulator({
  models: {
    [MICRO]: { latency: { kind: 'fixed', ms: 10 }, failures: { ServiceUnavailableException: 0.5 } },
    [LITE]: { latency: { kind: 'fixed', ms: 20 } },
    [PRO]: { latency: { kind: 'fixed', ms: 250 } },
  },
});
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' } });

const chooser = adaptive(
  { [MICRO]: bedrock.model(MICRO), [LITE]: bedrock.model(LITE), [PRO]: bedrock.model(PRO) },
  { alpha: 0.2, policy: 'thompson', objective: { latencyWeight: 1 }, random: seededRandom(7) },
);

const prompts = Array.from({ length: 60 }, (_, i) => ({ prompt: `What is ${i} + 4?`, task: 'arithmetic' }));
const outcomes = await lastValueFrom(orchestrateFrom(prompts, chooser, { concurrency: 2, ordered: true }).pipe(toArray()));

const answeredBy = outcomes.filter(isRight).map((o) => o.right.modelId);
const share = (ids: string[]) => [MICRO, LITE, PRO].map((id) => `${id.split('.')[1]} ${ids.filter((x) => x === id).length}`).join(', ');
console.log(`${answeredBy.length}/${prompts.length} answered`);
console.log(`first 20 answered by: ${share(answeredBy.slice(0, 20))}`);
console.log(`last 20 answered by:  ${share(answeredBy.slice(-20))}`);

const scores = await firstValueFrom(chooser.scores$); // the current table (scores$ replays it)
for (const [id, s] of Object.entries(scores['arithmetic'] ?? {})) {
  console.log(`  ${id.padEnd(24)} samples ${String(s.count).padStart(2)}, success ${s.success.toFixed(2)}, latency ${Math.round(s.latencyMs)} ms`);
}
await emulator.close();

const table = scores['arithmetic'] ?? {};
if (answeredBy.length !== prompts.length || !(table[MICRO]!.success < table[LITE]!.success)) {
  console.error('expected every request answered, and the failing model to score below the reliable one');
  process.exitCode = 1;
}
