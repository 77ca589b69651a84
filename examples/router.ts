// Pattern: router. Each request goes to the model that suits it — code to a strong
// model, extraction to a precise one, quick questions to a fast one — chosen by
// keywordClassifier(). With `capabilities: true` a request with an image never goes
// to a text-only model: it moves on to the next route that can take it.
import { lastValueFrom } from 'rxjs';
import { createBedrock, invoke, keywordClassifier, route, type RequestInput } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';

const emulator = await startEmulator();
const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'example', secretAccessKey: 'example' } });

// A route target names its model id, so route() can look its capabilities up in the catalog.
const target = (modelId: string) => ({ model: bedrock.model(modelId), modelId });

const router = route({
  classify: keywordClassifier(), // image, code, structured-data, low-latency; a request's `task` wins; no match → default
  routes: {
    'low-latency': target('amazon.nova-micro-v1:0'), // text only
    image: target('amazon.nova-lite-v1:0'),
    code: target('anthropic.claude-3-5-sonnet-20240620-v1:0'),
    'structured-data': target('anthropic.claude-3-haiku-20240307-v1:0'),
    general: target('amazon.nova-pro-v1:0'),
  },
  default: 'general',
  capabilities: true, // an image never goes to a text-only route: it moves on to the next route that can take it
});

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const withImage: RequestInput = {
  task: 'low-latency',
  messages: [{ role: 'user', content: [{ text: 'What is in this picture?' }, { image: { format: 'png', source: { bytes: png } } }] }],
};
const requests: [label: string, input: RequestInput, expected: string][] = [
  ['code', 'Why does this TypeScript function not compile?', 'anthropic.claude-3-5-sonnet-20240620-v1:0'],
  ['structured', 'Extract JSON: name: Ada Lovelace, born: 1815', 'anthropic.claude-3-haiku-20240307-v1:0'],
  ['quick', 'Quickly: what is 6 * 7?', 'amazon.nova-micro-v1:0'],
  ['general', 'Tell me about the history of bridges', 'amazon.nova-pro-v1:0'],
  ['quick + image', withImage, 'amazon.nova-lite-v1:0'], // low-latency is text only, so the next capable route
];

let wrong = 0;
for (const [label, input, expected] of requests) {
  const response = await lastValueFrom(invoke(router, input));
  console.log(`${label.padEnd(14)} → ${response.modelId.padEnd(42)} ${JSON.stringify(response.text.slice(0, 40))}`);
  if (response.modelId !== expected) wrong++;
}
await emulator.close();
if (wrong > 0) {
  console.error(`${wrong} request(s) went to the wrong model`);
  process.exitCode = 1;
}
