// Pattern: a strategy in a file. A YAML (or JSON) file describes the strategy
// tree with the operators' vocabulary; parseStrategyFile decodes it strictly
// (every mistake named by its path, unknown keys refused) and buildStrategy turns
// it into a Model. Nothing in the file is evaluated: it is plain data.
import { readFile } from 'node:fs/promises';
import { isLeft } from 'fp-ts/lib/Either.js';
import { lastValueFrom } from 'rxjs';
import { buildStrategy, createBedrock, describeStrategy, invoke, parseStrategyFile } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

const path = new URL('strategies/resilient.yaml', import.meta.url);
const file = parseStrategyFile(await readFile(path, 'utf8'), 'resilient.yaml');
if (isLeft(file)) throw new Error(file.left.message);
console.log(`resilient.yaml:\n${describeStrategy(file.right.strategy)}`);

// The primary has an outage, so the file's fallback has work to do.
const emulator = await startEmulator({ models: { 'anthropic.claude-3-haiku-20240307-v1:0': { failures: { InternalServerException: 1 } } } });
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' } });
const model = buildStrategy(file.right.strategy, { bedrock });
const answer = await lastValueFrom(invoke(model, 'What is 20 + 22?'));
console.log(`answer ${answer.text} from ${answer.modelId} after ${answer.attempts.length} attempts (${answer.attempts.map((a) => a.outcome).join(', ')})`);
await emulator.close();

// A mistake is reported with its path and what was expected.
const broken = parseStrategyFile('strategy:\n  fallback:\n    - amazon.nova-lite-v1:0\n    - retry: { count: three, model: amazon.nova-micro-v1:0 }\n', 'broken.yaml');
console.log(`broken.yaml: ${isLeft(broken) ? broken.left.problems.join('; ') : 'accepted?!'}`);

if (answer.modelId !== 'amazon.nova-lite-v1:0' || answer.attempts.length !== 4 || !isLeft(broken) || !broken.left.problems[0]!.startsWith('strategy.fallback[1].retry.count')) {
  console.error('expected the fallback of resilient.yaml to answer after 3 failed attempts, and the broken file refused by path');
  process.exitCode = 1;
}
