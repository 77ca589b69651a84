import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { SoakReport } from '../../bench/soak/runSoak.js';

interface SoakOutput {
  readonly report: SoakReport;
  readonly unhandled: readonly string[];
  readonly activeResources: readonly string[];
  readonly problems: readonly string[];
}

/** Runs `npm run soak` shortened, as its own process, and waits for that process to end by itself. */
function runShortSoak(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; exitedAfterReportMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/soak.ts', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let reportAt = 0;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      if (reportAt === 0 && stdout.includes('\n')) reportAt = performance.now();
    });
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString('utf8')));
    // The process must end on its own: the soak never calls process.exit, so a socket or timer left open would keep it alive.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the soak process did not exit by itself\n${stderr}`));
    }, 28_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, exitedAfterReportMs: reportAt === 0 ? -1 : performance.now() - reportAt });
    });
  });
}

describe('chaos soak (shortened)', () => {
  it('gives every request exactly one outcome, ≥ 99.9% successes, no unhandled errors, a flat heap and nothing left open', async () => {
    const run = await runShortSoak(['--requests', '1000', '--concurrency', '128', '--max-minutes', '0.2']);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as SoakOutput;
    const { report } = out;
    expect(report.requests).toBeGreaterThanOrEqual(200);
    expect(report.outcomes).toEqual({ exactlyOnce: report.requests, lost: 0, duplicated: 0, unknownIds: 0 });
    expect(report.ok + report.failed).toBe(report.requests);
    expect(report.successRate).toBeGreaterThanOrEqual(0.999);
    // The faults really were injected: 5xx, throttles, timeouts, resets, malformed bodies, a mid-stream error or stall.
    expect(report.emulatorTotals.errors.ServiceUnavailableException).toBeGreaterThan(0);
    expect(report.emulatorTotals.errors.InternalServerException).toBeGreaterThan(0);
    expect(report.emulatorTotals.errors.ThrottlingException).toBeGreaterThan(0);
    expect(report.emulatorTotals.errors.ModelTimeoutException).toBeGreaterThan(0);
    expect(report.emulatorTotals.resets + report.emulatorTotals.malformed).toBeGreaterThan(0);
    expect(report.metrics.events.fallback).toBeGreaterThan(0);
    expect(report.metrics.events.retry).toBeGreaterThan(0);
    expect(out.unhandled).toEqual([]);
    expect(out.activeResources.filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap')).toEqual([]);
    expect(out.problems).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.exitedAfterReportMs).toBeGreaterThanOrEqual(0);
  }, 30_000);
});
