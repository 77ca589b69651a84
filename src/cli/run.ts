import { constants, createReadStream, createWriteStream, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import { createBedrock, type Bedrock } from '../bedrock/createBedrock.js';
import { buildStrategy } from '../config/buildStrategy.js';
import { ConfigError } from '../config/parseStrategyFile.js';
import { ModelError } from '../core/errors.js';
import { createEventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { decodeRequest, type InferenceRequest } from '../core/request.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { createMetrics } from '../observe/createMetrics.js';
import { serveMetrics } from '../observe/serveMetrics.js';
import { orchestrateFrom } from '../stream/orchestrateFrom.js';
import { jsonlLines } from './jsonlLines.js';
import { modelSummary } from './modelSummary.js';
import { Progress } from './progress.js';
import { outcomeRecord, rejectedRecord, type ResultRecord } from './resultRecord.js';
import { readDoneIds } from './readDoneIds.js';
import { streamPrompt } from './streamPrompt.js';
import { EXIT, UsageError } from './usage.js';
import { loadStrategyFile } from './validate.js';

const OPTIONS = {
  config: { type: 'string' },
  input: { type: 'string', default: '-' },
  output: { type: 'string', default: '-' },
  prompt: { type: 'string' },
  concurrency: { type: 'string', default: '16' },
  'deadline-ms': { type: 'string' },
  emulator: { type: 'boolean', default: false },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  resume: { type: 'boolean', default: false },
  stream: { type: 'boolean', default: false },
  model: { type: 'string' },
  'metrics-port': { type: 'string' },
  'max-line-chars': { type: 'string', default: String(1024 * 1024) },
} as const;

function positiveInt(name: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name}: expected an integer from 1 to ${max}, got "${value}"`);
  return n;
}

/** Connects to the emulator (started here), an endpoint, or a real AWS region. */
async function connect(values: { emulator: boolean; endpoint?: string | undefined; region?: string | undefined }, events: ReturnType<typeof createEventBus>): Promise<{ bedrock: Bedrock; emulator?: Emulator }> {
  // An endpoint may come with the region it signs for (a VPC endpoint, say); the emulator takes neither.
  const targets = [values.emulator, values.endpoint !== undefined || values.region !== undefined].filter(Boolean).length;
  if (targets !== 1) throw new UsageError('choose one of --emulator, --endpoint URL or --region R (--endpoint may come with --region)');
  if (values.emulator) {
    const emulator = await startEmulator();
    const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' }, events });
    return { bedrock, emulator };
  }
  try {
    return { bedrock: createBedrock({ ...(values.endpoint ? { endpoint: values.endpoint } : {}), ...(values.region ? { region: values.region } : {}), events }) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Fails with a usage error (exit 2) when the input file cannot be read. */
async function readable(path: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new UsageError(`--input: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Opens the output file, or fails with a usage error (exit 2) when it cannot be written. */
async function openOutput(path: string, append: boolean): Promise<Writable> {
  const stream = createWriteStream(path, { flags: append ? 'a' : 'w' });
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new UsageError(`--output: cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return stream;
}

function buildModel(bedrock: Bedrock, strategy: Parameters<typeof buildStrategy>[0]): Model {
  try {
    return buildStrategy(strategy, { bedrock });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * `rx-bedrock run`: reads JSONL requests (a full request or `{"prompt": …}`
 * per line), runs them through the strategy file with bounded concurrency, and
 * writes exactly one JSONL result per input line. A bad line becomes an error
 * result naming its line number and the batch goes on. Ctrl-C cancels what is
 * in flight, flushes every finished result and exits 130; `--resume` skips ids
 * already in the output file.
 */
export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true });
  const concurrency = positiveInt('concurrency', values.concurrency, 10_000)!;
  const deadlineMs = positiveInt('deadline-ms', values['deadline-ms']);
  const metricsPort = values['metrics-port'] === undefined ? undefined : Number(values['metrics-port']);
  if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort <= 65535)) throw new UsageError(`--metrics-port: expected a port number, got "${values['metrics-port']}"`);
  const maxLineChars = positiveInt('max-line-chars', values['max-line-chars'])!;
  if (values.resume && values.output === '-') throw new UsageError('--resume needs --output FILE (it reads the ids already done from it)');

  const events = createEventBus();
  const collector = createMetrics(events.events$);
  const { bedrock, emulator } = await connect(values, events);
  const metricsServer = metricsPort === undefined ? undefined : await serveMetrics({ port: metricsPort, snapshot: collector.snapshot });
  if (metricsServer) process.stderr.write(`metrics: ${metricsServer.url}\n`);
  try {
    if (values.stream) {
      if (values.prompt === undefined || values.model === undefined) throw new UsageError('--stream needs --prompt TEXT and --model ID');
      return await streamPrompt(bedrock, values.model, values.prompt, process.stdout);
    }
    if (values.config === undefined) throw new UsageError('--config is required');
    const model = buildModel(bedrock, (await loadStrategyFile(values.config)).strategy);
    const done = values.resume && existsSync(values.output) ? await readDoneIds(values.output) : new Set<string>();
    if (values.input !== '-' && values.prompt === undefined) await readable(values.input);
    const output: Writable = values.output === '-' ? process.stdout : await openOutput(values.output, values.resume);
    const input = values.prompt !== undefined ? [JSON.stringify({ prompt: values.prompt })] : undefined;
    const failed = await runBatch({ model, input, inputPath: values.input, output, done, concurrency, deadlineMs, maxLineChars, events });
    if (output !== process.stdout) {
      output.end();
      await once(output, 'finish');
    }
    process.stderr.write(`\n${modelSummary(collector.snapshot())}`);
    if (failed === 'interrupted') return EXIT.interrupted;
    return failed > 0 ? EXIT.someFailed : EXIT.ok;
  } finally {
    collector.stop();
    await metricsServer?.close();
    await emulator?.close();
  }
}

interface BatchConfig {
  readonly model: Model;
  readonly input: readonly string[] | undefined;
  readonly inputPath: string;
  readonly output: Writable;
  readonly done: ReadonlySet<string>;
  readonly concurrency: number;
  readonly deadlineMs: number | undefined;
  readonly maxLineChars: number;
  readonly events: ReturnType<typeof createEventBus>;
}

/** Runs the batch; answers how many results were errors, or `interrupted` after Ctrl-C. */
async function runBatch(config: BatchConfig): Promise<number | 'interrupted'> {
  const { output, done } = config;
  const progress = new Progress(process.stderr, config.inputPath === '-' || config.input ? undefined : config.inputPath);
  await progress.start();
  let failures = 0;
  let interrupted = false;
  const write = (record: ResultRecord) => {
    // After Ctrl-C the output is being closed: a line read since then is left for --resume.
    if (interrupted) return;
    if (!record.ok) failures++;
    progress.tick(record.ok);
    output.write(`${JSON.stringify(record)}\n`);
  };
  const lineOf = new Map<string, number>();
  const source = config.input ? undefined : config.inputPath === '-' ? process.stdin : createReadStream(config.inputPath);

  async function* requests(): AsyncGenerator<InferenceRequest> {
    const lines = config.input ? config.input.map((text, i) => ({ line: i + 1, text })) : jsonlLines(source!, config.maxLineChars);
    for await (const entry of lines) {
      let parsed: unknown;
      let problem: string | undefined;
      if ('tooLong' in entry) problem = `longer than ${config.maxLineChars} characters (${entry.tooLong})`;
      else {
        try {
          parsed = JSON.parse(entry.text);
        } catch (error) {
          problem = `not JSON: ${(error as Error).message}`;
        }
      }
      if (problem !== undefined) {
        // A line that is not even JSON is known by its number; --resume skips it like any other id.
        if (done.has(`line-${entry.line}`)) progress.skip();
        else write(rejectedRecord(`line-${entry.line}`, entry.line, new ModelError('validation', `line ${entry.line}: ${problem}`)));
        continue;
      }
      const withId = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && !('id' in parsed) ? { ...parsed, id: `line-${entry.line}` } : parsed;
      const id = typeof withId === 'object' && withId !== null && 'id' in withId && typeof withId.id === 'string' ? withId.id : `line-${entry.line}`;
      if (done.has(id)) {
        progress.skip();
        continue;
      }
      const decoded = decodeRequest(withId);
      if (isLeft(decoded)) {
        const error = decoded.left;
        write(rejectedRecord(id, entry.line, new ModelError('validation', `line ${entry.line}: ${error.message}`, { details: error.details ?? [] })));
        continue;
      }
      lineOf.set(id, entry.line);
      yield decoded.right;
    }
  }

  let subscription: Subscription | undefined;
  let onInterrupt = () => {};
  const finished = new Promise<number | 'interrupted'>((resolve, reject) => {
    onInterrupt = () => {
      interrupted = true;
      subscription?.unsubscribe();
      // stdin may never send another byte: stop reading so the process can end.
      source?.destroy();
      resolve('interrupted');
    };
    process.once('SIGINT', onInterrupt);
    process.once('SIGTERM', onInterrupt);
    subscription = orchestrateFrom(requests(), config.model, {
      concurrency: config.concurrency,
      events: config.events,
      strategy: 'run',
      ...(config.deadlineMs ? { deadlineMs: config.deadlineMs } : {}),
    }).subscribe({
      next: (outcome) => {
        const id = isLeft(outcome) ? (outcome.left.requestId ?? '') : outcome.right.requestId;
        const line = lineOf.get(id) ?? 0;
        lineOf.delete(id);
        write(outcomeRecord(outcome, id, line));
      },
      error: reject,
      complete: () => resolve(failures),
    });
  });
  const result = await finished;
  process.off('SIGINT', onInterrupt);
  process.off('SIGTERM', onInterrupt);
  progress.stop();
  return result === 'interrupted' ? result : failures;
}
