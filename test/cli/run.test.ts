import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli, startCli } from './cliProcess.js';

const FLAKY = 'anthropic.claude-3-haiku-20240307-v1:0';
const STEADY = 'amazon.nova-lite-v1:0';
const SLOW = 'amazon.nova-micro-v1:0';
const CLEAN = 'amazon.nova-pro-v1:0';
const MAX_LINE_CHARS = 2000;

interface Result {
  readonly id: string;
  readonly line: number;
  readonly ok: boolean;
  readonly model?: string;
  readonly text?: string;
  readonly error?: { readonly kind: string; readonly message: string };
  readonly attempts: readonly { readonly modelId: string; readonly outcome: string }[];
}

const parseLines = (text: string): Result[] =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Result);

/** Twenty lines that must each come back as a `validation` error naming their line. */
const MALFORMED: readonly string[] = [
  // not JSON
  '{"id": "torn", "prompt": ',
  'not json at all',
  "{'prompt': 'single quotes'}",
  '{"prompt": "unterminated}',
  '[1, 2',
  // wrong field types, unknown keys, not a request
  '{"id": "typed-1", "prompt": 42}',
  '{"messages": "hello"}',
  '{"id": 7, "prompt": "a numeric id"}',
  '{"id": "typed-2", "prompt": "x", "inferenceConfig": {"maxTokens": "many"}}',
  '{"id": "typed-3", "prompt": "x", "bogus": true}',
  'null',
  '[{"prompt": "in an array"}]',
  // nothing to ask
  '{"id": "empty-1", "messages": []}',
  '{"id": "empty-2", "messages": [{"role": "user", "content": []}]}',
  '{}',
  // longer than --max-line-chars 2000
  ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `long-${i}`, prompt: `What is 1 + ${i}? ${'padding '.repeat(300)}` })),
];

/** `n` lines; the malformed ones at evenly spread line numbers (1-based), returned with the ids every line must come back with. */
function batch(n: number, malformed: readonly string[]): { text: string; ids: string[]; malformedAt: Map<number, string> } {
  const malformedAt = new Map<number, string>();
  const step = Math.floor(n / (malformed.length + 1));
  malformed.forEach((line, i) => malformedAt.set(step * (i + 1), line));
  const lines: string[] = [];
  const ids: string[] = [];
  for (let line = 1; line <= n; line++) {
    const bad = malformedAt.get(line);
    if (bad !== undefined) {
      const parsed = (() => {
        try {
          return JSON.parse(bad) as unknown;
        } catch {
          return undefined;
        }
      })();
      // a line too long to read is known by its number, like one that is not JSON
      const id = bad.length <= MAX_LINE_CHARS && typeof parsed === 'object' && parsed !== null && typeof (parsed as { id?: unknown }).id === 'string' ? (parsed as { id: string }).id : `line-${line}`;
      lines.push(bad);
      ids.push(id);
    } else if (line % 10 === 0) {
      // a line without an id is known by its line number
      lines.push(JSON.stringify({ prompt: `What is ${line} + 1?` }));
      ids.push(`line-${line}`);
    } else if (line % 7 === 0) {
      lines.push(JSON.stringify({ id: `q${line}`, messages: [{ role: 'user', content: [{ text: `What is ${line} * 2?` }] }], inferenceConfig: { maxTokens: 20 } }));
      ids.push(`q${line}`);
    } else {
      lines.push(JSON.stringify({ id: `q${line}`, prompt: `What is ${line} + 3?` }));
      ids.push(`q${line}`);
    }
  }
  return { text: `${lines.join('\n')}\n`, ids, malformedAt };
}

const STRATEGY = `strategy:
  fallback:
    - retry: { count: 1, backoff: { initialMs: 1, factor: 2, maxMs: 5, jitter: full }, model: ${FLAKY} }
    - ${STEADY}
`;

describe('rx-bedrock run (the real bin against an emulator with injected faults)', () => {
  let emulator: Emulator;
  let dir: string;
  let config: string;
  let clean: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx-bedrock-cli-'));
    config = join(dir, 'strategy.yaml');
    await writeFile(config, STRATEGY);
    clean = join(dir, 'clean.yaml');
    await writeFile(clean, `strategy: ${CLEAN}\n`);
    emulator = await startEmulator({
      models: {
        [FLAKY]: { latency: { kind: 'fixed', ms: 1 }, accuracy: 1, failures: { ThrottlingException: 0.15, InternalServerException: 0.1 } },
        [STEADY]: { latency: { kind: 'fixed', ms: 1 }, accuracy: 1, failures: { ModelTimeoutException: 0.02 } },
        [SLOW]: { latency: { kind: 'fixed', ms: 40 }, accuracy: 1 },
        [CLEAN]: { latency: { kind: 'fixed', ms: 1 }, accuracy: 1 },
      },
    });
  });

  afterAll(async () => {
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes exactly one result per line of a 1,000-line file, malformed lines as errors naming their line, and exits 1', async () => {
    const { text, ids, malformedAt } = batch(1000, MALFORMED);
    const input = join(dir, 'requests.jsonl');
    const output = join(dir, 'results.jsonl');
    await writeFile(input, text);

    const result = await runCli(['run', '--config', config, '--input', input, '--output', output, '--endpoint', emulator.endpoint, '--concurrency', '32', '--max-line-chars', String(MAX_LINE_CHARS)], '', 110_000);

    expect(result.code, result.stderr).toBe(1);
    const records = parseLines(await readFile(output, 'utf8'));
    expect(records).toHaveLength(1000);
    expect(new Set(records.map((r) => r.id)).size).toBe(1000);
    expect(records.map((r) => r.id).sort()).toEqual([...ids].sort());

    const byLine = new Map(records.map((r) => [r.line, r]));
    for (const [line] of malformedAt) {
      const record = byLine.get(line)!;
      expect(record, `line ${line}`).toMatchObject({ ok: false, line, error: { kind: 'validation' }, attempts: [] });
      expect(record.error!.message).toContain(`line ${line}`);
    }
    expect(records.filter((r) => r.error?.kind === 'validation')).toHaveLength(MALFORMED.length);

    // Every well-formed line reached a model: an answer, or the faults' error with its trail of attempts.
    const answered = records.filter((r) => r.ok);
    expect(answered.length).toBeGreaterThan(900);
    for (const r of answered) expect([FLAKY, STEADY]).toContain(r.model);
    const failed = records.filter((r) => !r.ok && r.error?.kind !== 'validation');
    for (const r of failed) expect(r.attempts.length).toBeGreaterThan(0);
    // The faults were real: the flaky model failed, and the fallback answered for it.
    expect(answered.some((r) => r.model === STEADY && r.attempts.some((a) => a.modelId === FLAKY && a.outcome === 'failure'))).toBe(true);
    expect(result.stderr).toContain(FLAKY); // the per-model summary table
  }, 120_000); // ~10 s on an idle machine; the whole suite shares two cores

  it('exits 0 when every request succeeded, reading requests from stdin and writing to stdout', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: `s${i}`, prompt: `What is ${i} + 2?` }));
    const result = await runCli(['run', '--config', clean, '--endpoint', emulator.endpoint], `${lines.join('\n')}\n`);
    expect(result.code, result.stderr).toBe(0);
    const records = parseLines(result.stdout);
    expect(records.map((r) => r.id).sort()).toEqual(lines.map((_, i) => `s${i}`).sort());
    for (const r of records) expect(r.text).toBe(String(Number(r.id.slice(1)) + 2));
  });

  it('stops cleanly on SIGINT (exit 130, only whole lines), and --resume finishes the batch without repeating an id', async () => {
    const n = 160;
    const slow = join(dir, 'slow.yaml');
    await writeFile(slow, `strategy: ${SLOW}\n`);
    const { text, ids } = batch(n, MALFORMED.slice(0, 4));
    const input = join(dir, 'long.jsonl');
    const output = join(dir, 'long-results.jsonl');
    await writeFile(input, text);
    const args = ['run', '--config', slow, '--input', input, '--output', output, '--endpoint', emulator.endpoint, '--concurrency', '4'];

    const first = startCli(args, 55_000);
    first.child.stdin.end();
    // Interrupt once some results are written, long before the batch (4 at a time, 40 ms each) ends.
    for (let written = 0; written < 20 && first.child.exitCode === null; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      written = (await readFile(output, 'utf8').catch(() => '')).split('\n').length - 1;
    }
    first.child.kill('SIGINT');
    const interrupted = await first.exited;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    // The requests in flight were cancelled, not left running.
    await vi.waitFor(() => expect(emulator.stats().models[SLOW]!.cancelled).toBeGreaterThan(0));

    const partial = await readFile(output, 'utf8');
    expect(partial.endsWith('\n')).toBe(true);
    const done = parseLines(partial);
    expect(done.length).toBeGreaterThanOrEqual(20);
    expect(done.length).toBeLessThan(n);
    expect(new Set(done.map((r) => r.id)).size).toBe(done.length);

    const resumed = await runCli([...args, '--resume'], '', 55_000);
    expect(resumed.code, resumed.stderr).toBe(1); // the malformed lines are failures
    const all = parseLines(await readFile(output, 'utf8'));
    expect(all).toHaveLength(n);
    expect(all.map((r) => r.id).sort()).toEqual([...ids].sort());
  }, 60_000);

  it('serves Prometheus metrics on --metrics-port while the batch runs, and stops on SIGINT while stdin is open', async () => {
    const cli = startCli(['run', '--config', clean, '--endpoint', emulator.endpoint, '--metrics-port', '0']);
    const [, url] = await cli.waitFor(/metrics: (http:\/\/127\.0\.0\.1:\d+\S*)/);
    cli.child.stdin.write(`${JSON.stringify({ id: 'm1', prompt: 'What is 2 + 2?' })}\n`);
    await cli.waitFor(/"id":"m1"/, 'stdout');
    const response = await fetch(new URL('/metrics', url));
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toMatch(/^# (HELP|TYPE) rx_bedrock_/m);
    expect(body).toContain(CLEAN);
    // Ctrl-C while waiting on stdin (which stays open) still ends the run.
    cli.child.kill('SIGINT');
    expect((await cli.exited).code).toBe(130);
  });

  it('--stream prints one answer as it arrives, from the embedded emulator', async () => {
    const result = await runCli(['run', '--stream', '--model', STEADY, '--prompt', 'What is 12 + 7?', '--emulator']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d+\n$/); // the emulator's arithmetic answer (right most of the time)
  });

  it('is a usage error (exit 2) without a target or a config, or with a file it cannot read or write', async () => {
    const target = ['--config', config, '--endpoint', emulator.endpoint];
    const results = await Promise.all([
      runCli(['run', '--config', config]),
      runCli(['run', '--endpoint', emulator.endpoint]),
      runCli(['run', ...target, '--input', join(dir, 'no-such-file.jsonl')]),
      runCli(['run', ...target, '--prompt', 'hi', '--output', join(dir, 'no-such-dir', 'out.jsonl')]),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(results[0]!.stderr).toContain('--emulator, --endpoint URL or --region R');
    expect(results[1]!.stderr).toContain('--config is required');
    expect(results[2]!.stderr).toContain('--input: cannot read');
    expect(results[3]!.stderr).toContain('--output: cannot write');
    for (const r of results) expect(r.stderr).not.toMatch(/\n\s+at /); // no stack traces
  });
});
