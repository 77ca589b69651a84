// Pattern: ensemble. Ask three models the same question and take the majority
// vote; with `quorum: 2` the answer is ready as soon as two agree, and the third
// call is cancelled. The majority of three 70%-accurate models is right more often
// than one of them (about 78% if their mistakes are independent).
import { isRight } from 'fp-ts/lib/Either.js';
import { lastValueFrom, toArray } from 'rxjs';
import { createBedrock, ensemble, orchestrateFrom, vote } from 'rx-bedrock';
import { SENTIMENTS, sentimentQuestions, startEmulator, type Sentiment } from 'rx-bedrock/emulator';

const members = ['amazon.nova-lite-v1:0', 'meta.llama3-8b-instruct-v1:0', 'mistral.mistral-7b-instruct-v0:2'];
const emulator = await startEmulator({ models: Object.fromEntries(members.map((id) => [id, { accuracy: 0.7 }])) });
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' } });

const voted = ensemble(
  members.map((id) => bedrock.model(id)),
  { combine: vote(), quorum: 2 },
);

const questions = sentimentQuestions(30, 1); // checkable questions with known labels
const outcomes = await lastValueFrom(orchestrateFrom(questions.map((q) => q.prompt), voted, { concurrency: 8, ordered: true }).pipe(toArray()));

let right = 0;
let notALabel = 0;
const alone = new Map(members.map((id) => [id, { right: 0, answered: 0 }]));
outcomes.forEach((outcome, i) => {
  if (!isRight(outcome)) return;
  const expected = questions[i]!.expected;
  const answer = outcome.right.text.trim().toLowerCase();
  if (!SENTIMENTS.includes(answer as Sentiment)) notALabel++;
  if (answer === expected) right++;
  for (const part of outcome.right.parts ?? []) {
    const member = alone.get(part.modelId)!;
    member.answered++;
    if (part.text.trim().toLowerCase() === expected) member.right++;
  }
});
const first = outcomes[0]!;
if (isRight(first)) console.log(`first review: "${questions[0]!.prompt.split(': ')[1]}" → ${first.right.text} (tally ${JSON.stringify(first.right.details?.['tally'])})`);
console.log(`ensemble of 3, quorum 2: ${right}/${questions.length} right`);
console.log(`each member alone:       ${[...alone].map(([id, m]) => `${id.split('.')[1]} ${m.right}/${m.answered}`).join(', ')} (a member cut off by the quorum did not answer)`);
const stats = emulator.stats();
console.log(`calls: ${members.map((id) => `${id} ${stats.models[id]?.calls}`).join(', ')}; cancelled by the quorum: ${stats.totals.cancelled}`);
await emulator.close();

if (outcomes.length !== questions.length || notALabel > 0 || !outcomes.every(isRight)) {
  console.error(`expected ${questions.length} sentiment labels, got ${notALabel} other answers`);
  process.exitCode = 1;
}
