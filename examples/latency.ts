// Pattern: latency. `fastest` sends each request to the model that has *shown*
// the lowest latency (an EMA over the attempt events; unseen models are tried
// first so they get measured). `hedge` cuts the slow tail: when no answer came
// within `after` ms it asks again, takes the first answer and cancels the rest.
import { isRight } from 'fp-ts/lib/Either.js';
import { lastValueFrom, toArray } from 'rxjs';
import { createBedrock, createEventBus, fastest, hedge, invoke, orchestrateFrom, type Model } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

const fixed = (ms: number) => ({ latency: { kind: 'fixed' as const, ms } });
const emulator = await startEmulator({
  models: {
    'amazon.nova-micro-v1:0': fixed(150),
    'anthropic.claude-3-haiku-20240307-v1:0': fixed(10),
    'mistral.mistral-7b-instruct-v0:2': fixed(300),
    // Usually 20 ms, but one call in five takes 1.5 s.
    'amazon.nova-lite-v1:0': { latency: { kind: 'tail', baseMs: 20, tailMs: 1500, p: 0.2 } },
  },
});
const events = createEventBus();
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' }, events });

// fastest: learns which model is quickest from what it observes
const candidates = ['amazon.nova-micro-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0', 'mistral.mistral-7b-instruct-v0:2'];
const quickest = fastest(Object.fromEntries(candidates.map((id) => [id, bedrock.model(id)])), { maxLatencyMs: 100, events$: events.events$ });
const chosen: string[] = [];
for (let i = 0; i < 8; i++) chosen.push((await lastValueFrom(invoke(quickest, `What is ${i} + 1?`))).modelId);
console.log(`fastest: answered by ${chosen.map((id) => id.split('.')[1]).join(', ')}`);

// hedge: the same 20 requests without and with a hedge after 100 ms (at most 3 attempts each)
let hedges = 0;
events.events$.subscribe((e) => void (e.type === 'hedge-fired' && hedges++));
const lite = bedrock.model('amazon.nova-lite-v1:0');
async function latencies(model: Model): Promise<number[]> {
  const outcomes = await lastValueFrom(orchestrateFrom(Array.from({ length: 20 }, (_, i) => `What is ${i} * 3?`), model, 20).pipe(toArray()));
  return outcomes.filter(isRight).map((o) => o.right.latencyMs).sort((a, b) => a - b);
}
const plain = await latencies(lite);
const hedged = await latencies(hedge(lite, { after: 100, max: 3, events }));
const show = (ms: number[]) => `median ${ms[ms.length >> 1]} ms, slowest ${ms.at(-1)} ms, ${ms.filter((m) => m > 1000).length} over 1 s`;
console.log(`hedge: without ${show(plain)}; with ${show(hedged)} (${hedges} hedges fired)`);
await emulator.close();

const haiku = chosen.slice(-4).filter((id) => id === 'anthropic.claude-3-haiku-20240307-v1:0').length;
if (haiku < 4 || plain.length !== 20 || hedged.length !== 20 || hedges === 0) {
  console.error('expected fastest to settle on claude-3-haiku, and every request answered with some hedges fired');
  process.exitCode = 1;
}
