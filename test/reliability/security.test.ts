import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { isLeft } from 'fp-ts/lib/Either.js';
import { catchError, firstValueFrom, from, map, of, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../src/bedrock/collect.js';
import { createBedrock } from '../../src/bedrock/createBedrock.js';
import { ConfigError, parseStrategyFile } from '../../src/config/parseStrategyFile.js';
import { createEventBus, type RuntimeEvent } from '../../src/core/events.js';
import { invoke } from '../../src/core/model.js';
import type { Outcome } from '../../src/core/outcome.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createMetrics } from '../../src/observe/createMetrics.js';
import { serveMetrics } from '../../src/observe/serveMetrics.js';
import { toPrometheus } from '../../src/observe/toPrometheus.js';
import { orchestrate } from '../../src/stream/orchestrate.js';
import { fallback } from '../../src/strategies/fallback.js';
import { withRetry } from '../../src/strategies/withRetry.js';
import { streamFallback } from '../../src/streaming/streamFallback.js';
import { ROOT } from '../cli/cliProcess.js';

// Distinctive values: if any of them shows up anywhere observable, it leaked.
const KEY = 'AKIASECRETKEYID4242';
const SECRET = 'sEcReT/access+key+ZZ9q8w7e6r5t4y3u2i1o';
const TOKEN = 'SESSIONtokenSECRET/abc+def==4242';
const WRONG_KEY = 'AKIAWRONGKEYID999999';
const WRONG_SECRET = 'wRoNg/secret+key+QQ1a2s3d4f5g6h7j8k9l';
const SECRETS = [KEY, SECRET, TOKEN, WRONG_KEY, WRONG_SECRET];
const PROMPT = 'PROMPTMARKER zebra quokka';

const FLAKY = 'anthropic.claude-3-haiku-20240307-v1:0';
const GOOD = 'amazon.nova-lite-v1:0';
const fast = { latency: { kind: 'fixed', ms: 1 }, firstTokenMs: { kind: 'fixed', ms: 1 }, tokensPerSecond: 0 } as const;

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), 'rxb-security-'));
beforeAll(async () => {
  emulator = await startEmulator({
    seed: 5,
    requireSignature: { accessKeyId: KEY, secretAccessKey: SECRET },
    models: {
      [FLAKY]: { ...fast, failures: { ThrottlingException: 0.3, InternalServerException: 0.3 }, malformedRate: 0.1, streamFailure: { afterTokens: 2, exception: 'ThrottlingException', rate: 0.3 } },
      [GOOD]: fast,
    },
  });
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Fails naming where a secret was found. */
function expectNoSecrets(label: string, text: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${label} contains a credential`).toBe(false);
}

/** Everything a user can see of an error: its message, stack, JSON, and what console.error would print (cause included). */
const errorViews = (error: unknown): string => [String(error), (error as Error).stack ?? '', JSON.stringify(error), inspect(error, { depth: 8 })].join('\n');

async function workload(includeContent: boolean) {
  const bus = createEventBus();
  const events: RuntimeEvent[] = [];
  const watching = bus.events$.subscribe((e) => events.push(e));
  const collector = createMetrics(bus.events$);
  const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN }, events: bus, includeContent });
  const model = fallback([withRetry(bedrock.model(FLAKY), { count: 1, backoff: { initialMs: 1, maxMs: 2 }, events: bus }), bedrock.model(GOOD)], { events: bus });
  const streamed = collect(streamFallback(bedrock.streamingModel(FLAKY), bedrock.streamingModel(GOOD), { policy: 'restart', events: bus }));
  const inputs = [
    ...Array.from({ length: 24 }, (_v, i) => ({ id: `r${i}`, prompt: `${PROMPT} ${i}: tell me about the weather` })),
    { id: 'bad', prompt: PROMPT, inferenceConfig: { maxTokens: -1 } },
  ];
  const outcomes = await firstValueFrom(from(inputs).pipe(orchestrate(model, { concurrency: 4, events: bus, strategy: 'secure', includeContent }), toArray()));
  const streamedOutcomes = await firstValueFrom(from(inputs.slice(0, 6).map((r) => ({ ...r, id: `s-${r.id}` }))).pipe(orchestrate(streamed, { concurrency: 3, events: bus }), toArray()));
  const missing = await firstValueFrom(invoke(bedrock.model('nope.missing-model-v1:0'), PROMPT).pipe(map(() => undefined), catchError((e: unknown) => of(e))));
  const wrongSecret = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: KEY, secretAccessKey: WRONG_SECRET, sessionToken: TOKEN }, events: bus, includeContent });
  const wrongKey = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: WRONG_KEY, secretAccessKey: WRONG_SECRET }, events: bus, includeContent });
  const refused = await Promise.all(
    [wrongSecret, wrongKey].map((b) => firstValueFrom(invoke(b.model(GOOD), PROMPT).pipe(map(() => undefined), catchError((e: unknown) => of(e))))),
  );
  for (const b of [bedrock, wrongSecret, wrongKey]) b.client.destroy();
  const snapshot = collector.snapshot();
  collector.stop();
  watching.unsubscribe();
  return { events, outcomes: [...outcomes, ...streamedOutcomes] as Outcome[], errors: [missing, ...refused], snapshot };
}

describe('security: credentials never leak, content only on request', () => {
  it('keeps every credential out of events, errors, results, metrics and Prometheus text after a faulty workload', async () => {
    const { events, outcomes, errors, snapshot } = await workload(true);
    // The workload really went through failures, retries, fallbacks, refusals and a bad request.
    const types = new Set(events.map((e) => e.type));
    for (const type of ['attempt-succeeded', 'attempt-failed', 'retry', 'fallback', 'request-completed'] as const) expect(types.has(type), type).toBe(true);
    expect(outcomes.some((o) => isLeft(o) && o.left.kind === 'validation')).toBe(true);
    expect(errors.map((e) => (e as { kind?: string }).kind)).toEqual(['not-found', 'access-denied', 'access-denied']);

    expectNoSecrets('events', JSON.stringify(events));
    for (const outcome of outcomes) expectNoSecrets(`outcome ${JSON.stringify(outcome).slice(0, 60)}`, isLeft(outcome) ? errorViews(outcome.left) : JSON.stringify(outcome.right));
    for (const error of errors) expectNoSecrets(`error ${String(error)}`, errorViews(error));
    expectNoSecrets('metrics snapshot', JSON.stringify(snapshot));
    expectNoSecrets('Prometheus text', toPrometheus(snapshot));

    const server = await serveMetrics({ port: 0, snapshot: () => snapshot });
    try {
      expect(new URL(server.url).hostname).toBe('127.0.0.1');
      const scraped = await (await fetch(server.url)).text();
      expect(scraped).toContain('rx_bedrock');
      expectNoSecrets('GET /metrics', scraped);
    } finally {
      await server.close();
    }
  });

  it('puts prompt and answer text into events only with includeContent: true', async () => {
    const without = await workload(false);
    const answers = without.outcomes.flatMap((o) => (isLeft(o) ? [] : [o.right.text])).filter((t) => t.length >= 8);
    expect(answers.length).toBeGreaterThan(0);
    const quiet = JSON.stringify(without.events);
    expect(quiet).not.toContain('PROMPTMARKER');
    for (const answer of answers) expect(quiet).not.toContain(answer);
    expect(without.events.some((e) => 'content' in e)).toBe(false);

    const withContent = await workload(true);
    const succeeded = withContent.events.filter((e) => e.type === 'attempt-succeeded');
    expect(succeeded.length).toBeGreaterThan(0);
    expect(succeeded.every((e) => typeof e.content === 'string')).toBe(true);
    const started = withContent.events.filter((e) => e.type === 'request-started' && e.strategy === 'secure');
    expect(started.length).toBeGreaterThan(0);
    expect(started.filter((e) => e.type === 'request-started' && e.content?.includes('PROMPTMARKER')).length).toBe(24);
  });

  it('binds the emulator and serveMetrics to 127.0.0.1 by default', async () => {
    expect(new URL(emulator.endpoint).hostname).toBe('127.0.0.1');
    const server = await serveMetrics({ port: 0, snapshot: () => createMetrics(createEventBus().events$).snapshot() });
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    await server.close();
  });

  it('answers unsigned and wrongly signed requests with Bedrock 403s, through the real SDK', async () => {
    const send = async (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => {
      const client = new BedrockRuntimeClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      try {
        await client.send(new ConverseCommand({ modelId: GOOD, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
        return { name: 'ok', status: 200, message: '' };
      } catch (error) {
        const e = error as Error & { $metadata?: { httpStatusCode?: number } };
        return { name: e.name, status: e.$metadata?.httpStatusCode, message: errorViews(e) };
      } finally {
        client.destroy();
      }
    };
    expect((await send({ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN })).name).toBe('ok');
    const wrongSecret = await send({ accessKeyId: KEY, secretAccessKey: WRONG_SECRET });
    expect([wrongSecret.name, wrongSecret.status]).toEqual(['InvalidSignatureException', 403]);
    const wrongKey = await send({ accessKeyId: WRONG_KEY, secretAccessKey: SECRET });
    expect([wrongKey.name, wrongKey.status]).toEqual(['UnrecognizedClientException', 403]);
    for (const refused of [wrongSecret, wrongKey]) expectNoSecrets(refused.name, refused.message);
    const unsigned = await fetch(`${emulator.endpoint}/model/${GOOD}/converse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }) });
    expect([unsigned.status, unsigned.headers.get('x-amzn-errortype')?.split(':')[0]]).toEqual([403, 'MissingAuthenticationTokenException']);
  });

  it('keeps credentials out of everything `rx-bedrock run` prints and writes', async () => {
    const config = join(dir, 'strategy.json');
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(config, JSON.stringify({ strategy: { fallback: [{ retry: { count: 1, model: FLAKY } }, 'nope.missing-model-v1:0', GOOD] } }));
    writeFileSync(input, `${[...Array.from({ length: 12 }, (_v, i) => JSON.stringify({ prompt: `${PROMPT} ${i}` })), '{"prompt": 1}', 'not json'].join('\n')}\n`);
    // The credentials reach the CLI the usual way: the environment (the AWS default chain).
    const env = { ...process.env, AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const child = spawn(process.execPath, ['bin/rx-bedrock.js', 'run', '--config', config, '--input', input, '--output', output, '--endpoint', emulator.endpoint, '--region', 'us-east-1', '--metrics-port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => void (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => void (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const result = { code, stdout, stderr };
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/metrics: http:\/\/127\.0\.0\.1:\d+/);
    const written = readFileSync(output, 'utf8');
    expect(written.split('\n').filter(Boolean)).toHaveLength(14);
    expect(written).toContain('"ok":true');
    for (const [label, text] of [['stdout', result.stdout], ['stderr', result.stderr], ['results', written]] as const) expectNoSecrets(label, text);
  }, 30_000);

  it('reads a config file as data: __proto__ and constructor keys are refused and pollute nothing', () => {
    const attempts: [string, string][] = [
      ['{"__proto__": {"polluted": "yes"}, "strategy": "amazon.nova-lite-v1:0"}', 'root.json'],
      ['{"strategy": {"__proto__": {"polluted": "yes"}, "fallback": ["amazon.nova-lite-v1:0"]}}', 'nested.json'],
      ['{"strategy": {"retry": {"count": 1, "model": "amazon.nova-lite-v1:0", "constructor": {"prototype": {"polluted": "yes"}}}}}', 'constructor.json'],
      ['__proto__:\n  polluted: yes\nstrategy: amazon.nova-lite-v1:0\n', 'root.yaml'],
      ['strategy:\n  fallback: [amazon.nova-lite-v1:0]\n  __proto__: { polluted: yes }\n', 'nested.yaml'],
    ];
    for (const [text, source] of attempts) {
      const parsed = parseStrategyFile(text, source);
      expect(isLeft(parsed) && parsed.left, source).toBeInstanceOf(ConfigError);
      expect(({} as Record<string, unknown>).polluted, source).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), source).toBe(false);
    }
  });
});
