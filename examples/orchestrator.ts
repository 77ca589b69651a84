// Pattern: the complete orchestrator, for code that does not use RxJS. One
// createOrchestrator with short names for models; process() runs a prompt through
// a named strategy (router, fallback, ensemble, pipeline, hedge, …) and returns a
// Promise; an AbortSignal cancels; getMetrics() and getRequestLog() tell what happened.
import { createOrchestrator, isModelError } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

const emulator = await startEmulator({
  models: {
    'anthropic.claude-3-haiku-20240307-v1:0': { failures: { ThrottlingException: 1 } }, // 'smart' is being throttled
    'meta.llama3-70b-instruct-v1:0': { latency: { kind: 'fixed', ms: 5_000 } }, // 'slow' takes 5 s
  },
});
const orchestrator = createOrchestrator({
  bedrock: { endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' } },
  models: {
    fast: 'amazon.nova-micro-v1:0',
    smart: 'anthropic.claude-3-haiku-20240307-v1:0',
    solid: 'amazon.nova-pro-v1:0',
    cheap: 'mistral.mistral-7b-instruct-v0:2',
    slow: 'meta.llama3-70b-instruct-v1:0',
  },
  routes: { code: 'solid', general: 'fast' },
  defaultRoute: 'general',
  requestLogSize: 100,
});

const ask = async (label: string, prompt: string, options: Parameters<typeof orchestrator.process>[1]) => {
  const answer = await orchestrator.process(prompt, options);
  console.log(`${label.padEnd(9)} ${answer.modelId.padEnd(40)} ${JSON.stringify(answer.text.slice(0, 30)).padEnd(34)} ${answer.attempts.length} attempt(s)`);
  return answer;
};
const answers = [
  await ask('router', 'Fix the bug in this TypeScript code', { strategy: 'router' }),
  await ask('fallback', 'What is 9 + 10?', { strategy: 'fallback', models: ['smart', 'solid'] }),
  await ask('ensemble', 'Classify the sentiment: the food was great and the staff were friendly', { strategy: 'ensemble', models: ['fast', 'solid', 'cheap'] }),
  await ask('pipeline', 'Extract JSON: city: Lisbon, population: 545000', { strategy: 'pipeline', models: ['fast', 'solid'] }),
  await ask('hedge', 'What is 6 * 7?', { strategy: 'hedge', models: ['slow', 'fast'], after: 100 }),
];

// An AbortSignal cancels the request and its HTTP call.
const cancelled = await orchestrator.process('Write a long essay', { strategy: 'fallback', models: ['slow'], signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
console.log(`aborted:  ${isModelError(cancelled) ? cancelled.kind : String(cancelled)}`);

const metrics = orchestrator.getMetrics().total;
for (const [id, m] of Object.entries(metrics.byModel)) {
  console.log(`  ${id.padEnd(40)} calls ${m.requests}, ok ${m.successes}, failed ${m.failures}, cancelled ${m.cancelled}, p50 ${m.latencyMs.p50} ms`);
}
console.log(`request log (newest 3 of ${orchestrator.getRequestLog().length}):`);
for (const entry of orchestrator.getRequestLog(3)) console.log(`  ${entry.strategy.padEnd(9)} ok=${entry.ok} ${entry.modelId ?? entry.errorKind} ${entry.latencyMs} ms`);
orchestrator.close();
await emulator.close();

const expected = ['amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0', 'ensemble(vote)', 'pipeline', 'amazon.nova-micro-v1:0'];
if (answers.some((a, i) => a.modelId !== expected[i]) || !isModelError(cancelled) || cancelled.kind !== 'cancelled' || orchestrator.getRequestLog().length !== 6) {
  console.error(`unexpected answers: ${answers.map((a) => a.modelId).join(', ')}`);
  process.exitCode = 1;
}
