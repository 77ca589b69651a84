import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { hostname } from 'node:os';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { Subject } from 'rxjs';
import { createBedrock, type Bedrock } from '../bedrock/createBedrock.js';
import { buildStrategy } from '../config/buildStrategy.js';
import { ConfigError } from '../config/parseStrategyFile.js';
import { createEventBus, type EventBus } from '../core/events.js';
import { createRedisClient, redisReady } from '../redis/createRedisClient.js';
import { enqueueRequests, type QueuedRequest } from '../redis/enqueueRequests.js';
import { readResults } from '../redis/readResults.js';
import { RedisStore } from '../redis/redisStore.js';
import { runWorker } from '../redis/runWorker.js';
import { jsonlLines } from './jsonlLines.js';
import { EXIT, UsageError } from './usage.js';
import { loadStrategyFile } from './validate.js';

const DEFAULT_STREAM = 'rx-bedrock:requests';

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name}: expected a positive integer, got "${value}"`);
  return n;
}

/** Connects to Redis (fail-fast client), or throws a UsageError after 5 s. */
async function connectRedis(url: string | undefined): Promise<Redis> {
  if (url === undefined) throw new UsageError('--redis URL is required');
  let lastError = '';
  const redis = createRedisClient(url, {
    onError: (error) => {
      if (error.message !== lastError) process.stderr.write(`redis: ${error.message}\n`);
      lastError = error.message;
    },
  });
  try {
    await redisReady(redis, 5_000);
  } catch {
    redis.disconnect();
    throw new UsageError(`--redis: cannot connect to ${url.replace(/\/\/[^@/]*@/, '//***@')}${lastError ? ` (${lastError})` : ''}`);
  }
  redis.on('ready', () => process.stderr.write('redis: connected again\n'));
  return redis;
}

function bedrockFor(values: { 'emulator-endpoint'?: string | undefined; endpoint?: string | undefined; region?: string | undefined }, events: EventBus): Bedrock {
  const targets = [values['emulator-endpoint'], values.endpoint, values.region].filter((v) => v !== undefined).length;
  if (targets !== 1) throw new UsageError('choose exactly one of --emulator-endpoint URL, --endpoint URL or --region R');
  try {
    if (values['emulator-endpoint'] !== undefined) {
      return createBedrock({ endpoint: values['emulator-endpoint'], region: 'us-east-1', credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' }, events });
    }
    return createBedrock({ ...(values.endpoint ? { endpoint: values.endpoint } : {}), ...(values.region ? { region: values.region } : {}), events });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * `rx-bedrock worker`: one worker of a Redis Streams consumer group. Runs
 * every request read from `--stream` through the strategy file, with rate
 * limits, breakers, scores, budgets and the cache shared in Redis
 * (`--prefix`, `--fail-mode open|closed`), stores each result under its
 * request id and only then acknowledges it. The first SIGTERM/SIGINT stops
 * reading and lets requests in flight finish (at most `--drain-ms`); a second
 * one cancels them (they stay pending, and another worker reclaims them).
 */
export async function workerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      redis: { type: 'string' },
      config: { type: 'string' },
      stream: { type: 'string', default: DEFAULT_STREAM },
      group: { type: 'string', default: 'rx-bedrock' },
      consumer: { type: 'string', default: `${hostname()}-${process.pid}` },
      concurrency: { type: 'string' },
      prefix: { type: 'string', default: 'rxb:' },
      'fail-mode': { type: 'string', default: 'open' },
      'visibility-timeout-ms': { type: 'string' },
      'block-ms': { type: 'string' },
      'deadline-ms': { type: 'string' },
      'drain-ms': { type: 'string' },
      'emulator-endpoint': { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
    },
  });
  if (values.config === undefined) throw new UsageError('--config is required');
  const failMode = values['fail-mode'];
  if (failMode !== 'open' && failMode !== 'closed') throw new UsageError(`--fail-mode: expected "open" or "closed", got "${failMode}"`);
  const concurrency = positiveInt('concurrency', values.concurrency, 16);
  const visibilityTimeoutMs = positiveInt('visibility-timeout-ms', values['visibility-timeout-ms'], 30_000);
  const blockMs = positiveInt('block-ms', values['block-ms'], 1_000);
  const drainMs = positiveInt('drain-ms', values['drain-ms'], 30_000);
  const deadlineMs = values['deadline-ms'] === undefined ? undefined : positiveInt('deadline-ms', values['deadline-ms'], 1);
  const file = await loadStrategyFile(values.config);
  const events = createEventBus();
  const bedrock = bedrockFor(values, events);
  const redis = await connectRedis(values.redis);
  const store = new RedisStore({ redis, prefix: values.prefix, failMode, events });
  let model;
  try {
    model = buildStrategy(file.strategy, { bedrock, store, events });
  } catch (error) {
    redis.disconnect();
    bedrock.client.destroy();
    if (error instanceof ConfigError || error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
  const degraded = events.events$.subscribe((e) => {
    if (e.type === 'store-degraded') process.stderr.write(`${e.store} degraded (${e.mode}): ${e.message}\n`);
  });
  const { stream, group, consumer } = values;
  process.stderr.write(`worker ${consumer}: reading ${stream} (group ${group}, concurrency ${concurrency})\n`);
  const counts = { stored: 0, duplicates: 0, failed: 0, storeErrors: 0 };
  const stop$ = new Subject<void>();
  try {
    await new Promise<void>((resolve, reject) => {
      let stopping = false;
      let drainTimer: NodeJS.Timeout | undefined;
      const subscription = runWorker({ redis, stream, group, consumer, model, concurrency, blockMs, visibilityTimeoutMs, deadlineMs, events, strategy: 'worker', stop$ }).subscribe({
        next: (result) => {
          if (result.storeError !== undefined) counts.storeErrors++;
          else if (!result.stored) counts.duplicates++;
          else counts.stored++;
          if (result.outcome._tag === 'Left') counts.failed++;
        },
        error: reject,
        complete: resolve,
      });
      const onSignal = () => {
        if (stopping) {
          subscription.unsubscribe();
          resolve();
          return;
        }
        stopping = true;
        process.stderr.write(`worker ${consumer}: stopping; finishing requests in flight (signal again to cancel them)\n`);
        stop$.next();
        drainTimer = setTimeout(onSignal, drainMs);
        drainTimer.unref();
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      subscription.add(() => {
        clearTimeout(drainTimer);
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      });
    });
  } finally {
    degraded.unsubscribe();
    redis.disconnect();
    bedrock.client.destroy();
  }
  process.stderr.write(
    `worker ${consumer}: stopped; ${counts.stored} results stored (${counts.failed} failures among all), ${counts.duplicates} duplicates dropped, ${counts.storeErrors} not stored (left for reclaim)\n`,
  );
  return EXIT.ok;
}

/**
 * `rx-bedrock enqueue`: adds every JSONL line of `--input` to the stream as
 * one request; its id is the line's `id`, else `line-N`. A line that is not
 * JSON, or longer than `--max-line-chars`, is reported and skipped (exit 1);
 * a JSON line that is not a valid request is enqueued, and its worker stores
 * a `validation` failure for it.
 */
export async function enqueueCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      redis: { type: 'string' },
      input: { type: 'string' },
      stream: { type: 'string', default: DEFAULT_STREAM },
      'max-line-chars': { type: 'string' },
    },
  });
  if (values.input === undefined) throw new UsageError('--input is required (a JSONL file, or - for stdin)');
  const maxLineChars = positiveInt('max-line-chars', values['max-line-chars'], 1024 * 1024);
  const input = values.input === '-' ? process.stdin : createReadStream(values.input);
  const opened = values.input === '-' ? Promise.resolve() : once(input, 'open').then(() => undefined);
  await opened.catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--input: cannot read ${values.input}: ${error.code ?? error.message}`);
  });
  const redis = await connectRedis(values.redis);
  let skipped = 0;
  async function* requests(): AsyncGenerator<QueuedRequest> {
    for await (const entry of jsonlLines(input, maxLineChars)) {
      if ('tooLong' in entry) {
        skipped++;
        process.stderr.write(`line ${entry.line}: longer than ${maxLineChars} characters (${entry.tooLong}); skipped\n`);
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(entry.text);
      } catch (error) {
        skipped++;
        process.stderr.write(`line ${entry.line}: not JSON (${(error as Error).message}); skipped\n`);
        continue;
      }
      const own = typeof parsed === 'object' && parsed !== null && 'id' in parsed ? (parsed as { id: unknown }).id : undefined;
      yield { id: typeof own === 'string' && own.length > 0 ? own : `line-${entry.line}`, request: parsed };
    }
  }
  try {
    const added = await enqueueRequests(redis, values.stream, requests());
    process.stderr.write(`enqueued ${added} requests to ${values.stream}\n`);
  } finally {
    redis.disconnect();
  }
  return skipped > 0 ? EXIT.someFailed : EXIT.ok;
}

/** `rx-bedrock results`: writes every stored result of the stream as JSONL (one line per request id). */
export async function resultsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      redis: { type: 'string' },
      output: { type: 'string', default: '-' },
      stream: { type: 'string', default: DEFAULT_STREAM },
      results: { type: 'string' },
    },
  });
  const redis = await connectRedis(values.redis);
  const output: Writable = values.output === '-' ? process.stdout : createWriteStream(values.output);
  let count = 0;
  let failed = 0;
  try {
    for await (const line of readResults(redis, values.results ?? `${values.stream}:results`)) {
      count++;
      if ((JSON.parse(line) as { ok?: unknown }).ok === false) failed++;
      if (!output.write(`${line}\n`)) await once(output, 'drain');
    }
  } finally {
    redis.disconnect();
    if (output !== process.stdout) {
      output.end();
      await once(output, 'finish');
    }
  }
  process.stderr.write(`${count} results (${failed} failed)\n`);
  return failed > 0 ? EXIT.someFailed : EXIT.ok;
}
