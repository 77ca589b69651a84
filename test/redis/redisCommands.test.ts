import { describe, expect, it } from 'vitest';
import { enqueueCommand, resultsCommand, workerCommand } from '../../src/cli/redisCommands.js';
import { UsageError } from '../../src/cli/usage.js';

describe('worker, enqueue and results commands: usage mistakes', () => {
  it('worker needs --config, a known --fail-mode and positive numbers', async () => {
    await expect(workerCommand(['--redis', 'redis://127.0.0.1:1'])).rejects.toThrow(new UsageError('--config is required'));
    await expect(workerCommand(['--config', 'x.yaml', '--fail-mode', 'maybe'])).rejects.toThrow(/--fail-mode: expected "open" or "closed"/);
    await expect(workerCommand(['--config', 'x.yaml', '--concurrency', '0'])).rejects.toThrow(/--concurrency: expected a positive integer/);
  });

  it('worker reads the strategy file before connecting, and names a missing one', async () => {
    await expect(workerCommand(['--config', '/nonexistent/strategy.yaml', '--redis', 'redis://127.0.0.1:1'])).rejects.toThrow(/--config: cannot read/);
  });

  it('enqueue needs --input and a readable file; results needs --redis', async () => {
    await expect(enqueueCommand(['--redis', 'redis://127.0.0.1:1'])).rejects.toThrow(/--input is required/);
    await expect(enqueueCommand(['--redis', 'redis://127.0.0.1:1', '--input', '/nonexistent.jsonl'])).rejects.toThrow(/--input: cannot read/);
    await expect(resultsCommand([])).rejects.toThrow(new UsageError('--redis URL is required'));
  });
});
