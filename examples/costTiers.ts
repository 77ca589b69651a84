// Pattern: cost tiers. Models grouped by price; a request starts at the quality
// tier it asks for (`metadata.quality`) and degrades to a cheaper tier only when
// every model of its tier failed. Here the whole standard tier has an outage.
import { lastValueFrom } from 'rxjs';
import { costTiers, createBedrock, invoke } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

const outage = { failures: { ServiceUnavailableException: 1 } };
const emulator = await startEmulator({ models: { 'anthropic.claude-3-haiku-20240307-v1:0': outage, 'amazon.nova-pro-v1:0': outage } });
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' } });
const tier = (name: string, ...ids: string[]) => ({ name, models: ids.map((id) => bedrock.model(id)) });

const model = costTiers(
  [
    tier('premium', 'anthropic.claude-3-opus-20240229-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0'),
    tier('standard', 'anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-pro-v1:0'),
    tier('economy', 'amazon.nova-micro-v1:0', 'mistral.mistral-7b-instruct-v0:2'),
  ],
  { start: 'standard' },
);

const served: Record<string, unknown> = {};
for (const quality of ['premium', 'standard', 'economy']) {
  const answer = await lastValueFrom(invoke(model, { prompt: 'Summarise the plot of Hamlet in one line.', metadata: { quality } }));
  served[quality] = answer.details?.['tier'];
  const trail = answer.attempts.map((a) => `${a.modelId.split('.')[1]}:${a.outcome}`).join(' ');
  console.log(`asked for ${quality.padEnd(8)} → served by the ${String(answer.details?.['tier']).padEnd(8)} tier (${answer.modelId}), $${answer.costUsd?.toFixed(6)}  [${trail}]`);
}
await emulator.close();

if (served['premium'] !== 'premium' || served['standard'] !== 'economy' || served['economy'] !== 'economy') {
  console.error(`unexpected tiers: ${JSON.stringify(served)}`);
  process.exitCode = 1;
}
