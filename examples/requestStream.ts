// Pattern: request streams. orchestrateFrom pulls requests lazily from any
// (async) iterable — a generator, a file's lines — and orchestrate does the same
// for an Observable; either way every request becomes exactly one Outcome
// (Either<ModelError, InferenceResponse>), a failure never ends the stream, and
// everything that happens is an event on one bus, from which metrics are a scan.
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { interval, lastValueFrom, map, take, toArray } from 'rxjs';
import { createBedrock, createEventBus, createMetrics, fallback, orchestrate, orchestrateFrom, withRetry, type RequestInput } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

const PRIMARY = 'anthropic.claude-3-haiku-20240307-v1:0';
const BACKUP = 'amazon.nova-lite-v1:0';
const emulator = await startEmulator({ models: { [PRIMARY]: { failures: { ThrottlingException: 0.1, InternalServerException: 0.05 } } } });
const events = createEventBus();
const collector = createMetrics(events.events$); // per model and strategy: counts, latency percentiles, tokens, cost
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' }, events });
const model = fallback([withRetry(bedrock.model(PRIMARY), { count: 1, backoff: { initialMs: 10, factor: 2, maxMs: 50, jitter: 'full' }, events }), bedrock.model(BACKUP)], { events });

// 1. A generator of 200 requests, pulled 16 at a time; every 50th one is not a valid request.
async function* requests(): AsyncGenerator<RequestInput> {
  for (let i = 1; i <= 200; i++) yield i % 50 === 0 ? { id: `r${i}`, messages: [] } : { id: `r${i}`, prompt: `What is ${i} + 1?` };
}
const outcomes = await lastValueFrom(orchestrateFrom(requests(), model, { concurrency: 16, deadlineMs: 10_000, events, strategy: 'batch' }).pipe(toArray()));
const ids = new Set(outcomes.map((o) => (isRight(o) ? o.right.requestId : o.left.requestId)));
const failures = outcomes.filter(isLeft).map((o) => o.left.kind);
console.log(`batch: ${outcomes.length} outcomes for 200 requests (${ids.size} distinct ids), ${outcomes.filter(isRight).length} answered, failed: ${JSON.stringify(failures)}`);

// 2. A push source (one request every 5 ms), in input order, 4 at a time.
const ordered = await lastValueFrom(
  interval(5).pipe(
    take(20),
    map((i) => ({ id: `p${i}`, prompt: `What is ${i} * 2?` })),
    orchestrate(model, { concurrency: 4, ordered: true, events, strategy: 'live' }),
    map((o) => (isRight(o) ? o.right.requestId : o.left.requestId)),
    toArray(),
  ),
);
console.log(`live: ${ordered.join(' ')}`);

const { total } = collector.snapshot();
console.log(`events: ${Object.entries(total.events).map(([type, n]) => `${type} ${n}`).join(', ')}`);
for (const [name, s] of [...Object.entries(total.byStrategy), ...Object.entries(total.byModel)]) {
  console.log(`  ${name.padEnd(40)} ${String(s.requests).padStart(4)} calls, ${s.successes} ok, failures ${JSON.stringify(s.failuresByKind)}, p50/p95/p99 ${s.latencyMs.p50}/${s.latencyMs.p95}/${s.latencyMs.p99} ms`);
}
collector.stop();
await emulator.close();

const inOrder = ordered.every((id, i) => id === `p${i}`);
if (outcomes.length !== 200 || ids.size !== 200 || failures.filter((k) => k === 'validation').length !== 4 || !inOrder) {
  console.error('expected one outcome per request, 4 validation failures, and the live outcomes in input order');
  process.exitCode = 1;
}
