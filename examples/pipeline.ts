// Pattern: pipeline. Sequential models, each step fed by the one before: a cheap
// model extracts fields as JSON, checked by an io-ts codec (withDecode turns bad
// output into an `invalid-output` error, so the retry around it asks again), then
// a stronger model writes from the extracted data. The answer carries every step.
import * as t from 'io-ts';
import { lastValueFrom } from 'rxjs';
import { createBedrock, invoke, pipeline, withDecode, withRetry } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

const emulator = await startEmulator();
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' } });

const Person = t.type({ name: t.string, born: t.string, field: t.string }, 'Person');

const profile = pipeline([
  { name: 'extract', model: withRetry(withDecode(bedrock.model('amazon.nova-micro-v1:0'), Person), { count: 2 }) },
  {
    name: 'write',
    model: bedrock.model('anthropic.claude-3-haiku-20240307-v1:0'),
    prepare: (previous) => {
      const person = previous!.details!['decoded'] as t.TypeOf<typeof Person>;
      return `Write a short profile of ${person.name}, born ${person.born}, known for ${person.field}.`;
    },
  },
]);

const answer = await lastValueFrom(invoke(profile, 'Extract JSON: name: Ada Lovelace, born: 1815, field: mathematics'));
for (const [i, part] of (answer.parts ?? []).entries()) {
  console.log(`step ${i + 1} (${String((answer.details?.['steps'] as string[])[i])}) by ${part.modelId}: ${part.text.slice(0, 60)}`);
}
console.log(`answer by ${answer.modelId}; ${answer.usage.inputTokens} tokens in, ${answer.usage.outputTokens} out, $${answer.costUsd?.toFixed(6)}; ${answer.attempts.length} attempts`);
await emulator.close();

const extracted = answer.parts?.[0]?.text ?? '';
if (answer.parts?.length !== 2 || !extracted.includes('Ada Lovelace')) {
  console.error('the pipeline did not run both steps on the extracted data');
  process.exitCode = 1;
}
