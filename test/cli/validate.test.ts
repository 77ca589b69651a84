import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from './cliProcess.js';

const examples = join(import.meta.dirname, '../../examples/strategies');
const broken = join(import.meta.dirname, '../config/broken');

/** Runs `main` in this process and captures what it prints. */
async function mainOutput(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

/** The message a broken fixture promises in its first line (`# expect…: message`); JSON has no comments. */
const expectedOf = (name: string) =>
  name === 'too-deep.json' ? 'nested deeper than 32 levels' : /^# expect[a-z-]*: (.*)$/m.exec(readFileSync(join(broken, name), 'utf8'))![1]!;

describe('rx-bedrock validate', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the strategy tree of a good file and exits 0 (the real bin)', async () => {
    const result = await runCli(['validate', '--config', join(examples, 'fallback.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('fallback.yaml: ok');
    expect(result.stdout).toMatch(/^fallback\n {2}retry count=1\n {4}model anthropic\.claude-3-haiku-20240307-v1:0\n {2}model amazon\.nova-lite-v1:0\n/m);
  });

  it('reports every mistake by its path and exits 2 (the real bin)', async () => {
    const result = await runCli(['validate', '--config', join(broken, 'retry-count-word.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('strategy.fallback[1].retry.count: expected a positive integer (at most 100), got "three"');
    expect(result.stdout).toBe('');
  });

  it.each(readdirSync(examples).filter((f) => f.endsWith('.yaml')))('accepts examples/strategies/%s', async (name) => {
    const { code, stdout } = await mainOutput(['validate', '--config', join(examples, name)]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${name}: ok\n`);
  });

  // `expect-build` fixtures decode but cannot be built: validate builds them too, offline.
  it.each(readdirSync(broken))('rejects test/config/broken/%s with its path-reported message', async (name) => {
    const { code, stderr } = await mainOutput(['validate', '--config', join(broken, name)]);
    expect(code).toBe(2);
    expect(stderr).toContain(expectedOf(name));
  });

  it('is a usage error without --config or with an unreadable file', async () => {
    expect(await mainOutput(['validate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--config is required') });
    expect(await mainOutput(['validate', '--config', join(broken, 'no-such-file.yaml')])).toMatchObject({ code: 2, stderr: expect.stringContaining('ENOENT') });
  });
});
