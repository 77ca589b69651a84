// Pattern: your own strategy. A strategy is a function from Models to a Model;
// `modelFromCall` builds one from what it does for a single request, and
// `callModel` runs one request through an inner model. Built this way it nests
// with the library's own strategies at the same low cost per layer, and
// unsubscribing still cancels whatever inner call is in flight.
//
// `escalate(small, big)`: answer with the small model, and ask the big one
// only when the small one's answer was cut off at its token limit.
import { lastValueFrom, map, of, switchMap, toArray } from 'rxjs';
import { isRight } from 'fp-ts/lib/Either.js';
import { callModel, createBedrock, modelFromCall, orchestrateFrom, withRetry, type InferenceRequest, type Model } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

function escalate(small: Model, big: Model): Model {
  return modelFromCall((request) =>
    callModel(small, request).pipe(
      switchMap((answer) => {
        if (answer.stopReason !== 'max_tokens') return of(answer);
        // The big model gets the same request without the cap; the small model's try stays in the trail.
        const { inferenceConfig: _capped, ...uncapped } = request;
        return callModel(big, uncapped).pipe(map((better) => ({ ...better, attempts: [...answer.attempts, ...better.attempts] })));
      }),
    ),
  );
}

const emulator = await startEmulator({ models: { 'amazon.nova-micro-v1:0': { outputTokens: 24 }, 'amazon.nova-pro-v1:0': { outputTokens: 48 } } });
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' } });
const model = withRetry(escalate(bedrock.model('amazon.nova-micro-v1:0'), bedrock.model('amazon.nova-pro-v1:0')), 2);

// Every other request caps the answer at 8 tokens: those are cut off and escalate.
const requests: InferenceRequest[] = Array.from({ length: 10 }, (_, i) => ({
  id: `q${i}`,
  messages: [{ role: 'user', content: [{ text: `Describe item ${i}` }] }],
  ...(i % 2 === 0 ? { inferenceConfig: { maxTokens: 8 } } : {}),
}));
const outcomes = await lastValueFrom(orchestrateFrom(requests, model, 4).pipe(toArray()));
const answers = outcomes.filter(isRight).map((o) => o.right);
const escalated = answers.filter((a) => a.modelId === 'amazon.nova-pro-v1:0');
for (const a of answers) console.log(`${a.requestId}: ${a.modelId} after ${a.attempts.length} attempt(s), ${a.usage.outputTokens} tokens, ${a.stopReason}`);
console.log(`escalated ${escalated.length} of ${answers.length}`);
await emulator.close();

if (answers.length !== 10 || escalated.length !== 5 || escalated.some((a) => a.attempts.length !== 2 || a.stopReason !== 'end_turn')) {
  console.error('expected all 10 answered, the 5 capped ones escalated to nova-pro with both attempts in the trail');
  process.exitCode = 1;
}
