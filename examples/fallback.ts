// Pattern: fallback. The primary model is retried with backoff on retriable
// errors, and when it still fails the next model answers. Here the primary has
// an outage (every call a ServiceUnavailableException); the answer's `attempts`
// show the whole trail, and the events stream shows each retry and the fallback.
import { lastValueFrom } from 'rxjs';
import { createBedrock, createEventBus, fallback, invoke, withRetry } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

const PRIMARY = 'anthropic.claude-3-haiku-20240307-v1:0';
const BACKUP = 'amazon.nova-lite-v1:0';
const emulator = await startEmulator({ models: { [PRIMARY]: { failures: { ServiceUnavailableException: 1 } } } });
const events = createEventBus();
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' }, events });

const model = fallback(
  [withRetry(bedrock.model(PRIMARY), { count: 2, backoff: { initialMs: 20, factor: 2, maxMs: 200, jitter: 'full' }, events }), bedrock.model(BACKUP)],
  { events },
);

events.events$.subscribe((e) => {
  if (e.type === 'retry') console.log(`  retry ${e.attempt} after ${e.delayMs} ms (${e.errorKind})`);
  if (e.type === 'fallback') console.log(`  fallback ${e.from} → ${e.to} (${e.reason})`);
});

console.log('during the outage:');
const during = await lastValueFrom(invoke(model, 'What is 12 + 7?'));
console.log(`answered by ${during.modelId}: ${during.text}`);
console.log(`attempts: ${during.attempts.map((a) => `${a.modelId.split('.')[1]} ${a.outcome}${a.errorKind ? ` (${a.errorKind})` : ''}`).join(', ')}`);

emulator.setProfile(PRIMARY, { failures: {} }); // the outage ends
const after = await lastValueFrom(invoke(model, 'What is 12 + 7?'));
console.log(`after the outage: answered by ${after.modelId} in ${after.attempts.length} attempt`);
await emulator.close();

if (during.modelId !== BACKUP || during.attempts.length !== 4 || after.modelId !== PRIMARY) {
  console.error('expected 3 failed attempts on the primary, then the backup; then the primary again');
  process.exitCode = 1;
}
