/**
 * The shared bench harness: repeat a measurement, summarise it as
 * min/median/max, time and CPU helpers, a concurrency pool, an emulator in a
 * separate process, and the machine description every report starts with.
 * Benchmarks compare ratios measured within one process run: the machine is
 * shared, so absolute numbers drift with its load (printed with each scenario).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// The SDK warns on every client that its 2027 releases need Node 22; the lock file pins one that supports Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** What a scenario hands back: markdown lines for the report. */
export interface ScenarioReport {
  readonly lines: readonly string[];
}

/** One benchmark scenario, run by `npm run bench -- NAME`. */
export interface Scenario {
  readonly name: string;
  /** One line: what it measures. */
  readonly title: string;
  run(): Promise<ScenarioReport>;
}

/** How many times each measured scenario repeats (≥ 5 unless `RUNS` says otherwise). */
export const RUNS = Number(process.env.RUNS ?? 5);

/** min / median / max of some samples. */
export interface Summary {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** min, median and max of `values` (upper median for an even count). */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
}

/** The `q` quantile (nearest rank) of ascending `sorted`. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** `fmt(x)` for each of min / median / max, as `a / b / c`. */
export function showSummary(s: Summary, fmt: (x: number) => string = (x) => num(x)): string {
  return `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`;
}

/** A number with a sensible count of digits for a table. */
export function num(x: number, digits?: number): string {
  if (!Number.isFinite(x)) return String(x);
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3);
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** `pass` or `MISS` for a target. */
export function verdict(ok: boolean): string {
  return ok ? 'pass' : '**MISS**';
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map((_h, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** The 1/5/15-minute load average, for the record of how noisy the machine was. */
export function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

/** Wall time in ms and process CPU time in µs spent while `fn` ran. */
export async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuUs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, ms, cpuUs: cpu.user + cpu.system };
}

/** Runs `count` tasks with at most `concurrency` at once; resolves when all have settled. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Forces two full collections when `--expose-gc` is on. */
export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
}

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

function versionOf(name: string): string {
  try {
    const main = require.resolve(name);
    let dir = main;
    for (;;) {
      dir = dir.slice(0, dir.lastIndexOf('/'));
      try {
        const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? '?';
      } catch {
        // not the package root yet
      }
      if (dir.length <= 1) return '?';
    }
  } catch {
    return 'not installed';
  }
}

/** Cores, CPU model, Node, and the versions of every package a scenario uses. */
export function machine(): string[] {
  const own = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
  const packages = ['rxjs', '@aws-sdk/client-bedrock-runtime', '@smithy/node-http-handler', 'cockatiel', '@langchain/core', 'ioredis'];
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}/${process.arch}`,
    `- load average at start (1/5/15 min): ${load()}`,
    `- packages: rx-bedrock ${own.version} (compiled dist/), ${packages.map((p) => `${p} ${versionOf(p)}`).join(', ')}`,
  ];
}

/** An emulator running in its own process (`rx-bedrock emulator --port 0`), controlled over HTTP. */
export interface RemoteEmulator {
  readonly endpoint: string;
  stats(): Promise<EmulatorStatsWire>;
  setProfile(modelId: string, patch: Record<string, unknown>): Promise<void>;
  reset(): Promise<void>;
  /** CPU the emulator process used so far, in µs (from /proc; 0 where unavailable). */
  cpuUs(): number;
  close(): Promise<void>;
}

/** The part of `GET /_emulator/stats` the benches read. */
export interface EmulatorStatsWire {
  models: Record<string, { calls: number; successes: number; cancelled: number; outputTokens: number; inputTokens: number; peakConcurrency: number }>;
}

function procCpuUs(child: ChildProcess): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return 0;
  }
}

/** Spawns `node bin/rx-bedrock.js emulator --port 0` and reads its endpoint from the first line of stdout. */
export async function spawnEmulator(): Promise<RemoteEmulator> {
  const child = spawn(process.execPath, [`${root}bin/rx-bedrock.js`, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${endpoint}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text.length > 0 ? JSON.parse(text) : undefined;
  };
  return {
    endpoint,
    stats: async () => (await call('GET', '/_emulator/stats')) as EmulatorStatsWire,
    setProfile: async (modelId, patch) => void (await call('PUT', `/_emulator/models/${encodeURIComponent(modelId)}`, patch)),
    reset: async () => void (await call('POST', '/_emulator/reset')),
    cpuUs: () => procCpuUs(child),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Dummy credentials for the emulator (it accepts any signature). */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' } as const;

/** Sleeps in real time (bench code only). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The repository root (for child processes). */
export const ROOT = root;
