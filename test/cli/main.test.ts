import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/usage.js';
import { runCli } from './cliProcess.js';

describe('rx-bedrock (the real bin)', () => {
  it('exits 2 on an unknown command and prints the usage with the exit codes', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain('Exit codes: 0 all ok, 1 some requests failed, 2 bad usage or config, 130 interrupted.');
  });

  it('prints the usage on stdout for help (exit 0) and without a command (exit 2)', async () => {
    const [help, bare] = await Promise.all([runCli(['help']), runCli([])]);
    expect(help).toMatchObject({ code: EXIT.ok, stdout: expect.stringContaining('rx-bedrock run --config strategy.yaml') });
    expect(bare).toMatchObject({ code: EXIT.usage, stdout: help.stdout });
  });

  it('demo runs a workload against the embedded emulator and prints the per-model table', async () => {
    const result = await runCli(['demo', '--requests', '12']);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/fallback\(withRetry\(claude-3-haiku, 1\), nova-lite\): 12\/12 requests answered/);
    expect(result.stdout).toMatch(/ensemble\(.*vote\(\)\): \d+\/12 sentiment answers right/);
    expect(result.stdout).toMatch(/^model +calls +ok +ok % +cancelled +p50 ms +p95 ms +p99 ms +tokens in +tokens out +cost \$$/m);
    for (const id of ['anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-lite-v1:0', 'meta.llama3-8b-instruct-v1:0', 'mistral.mistral-7b-instruct-v0:2']) {
      expect(result.stdout).toMatch(new RegExp(`^${id.replace(/\./g, '\\.')} +\\d+`, 'm'));
    }
  });
});
