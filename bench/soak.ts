/**
 * Chaos soak: N requests (default 100,000) through
 * `orchestrate(fallback(withRetry(withCircuitBreaker(a)), withCircuitBreaker(b), c))` at
 * concurrency 128 against the emulator while its fault profiles change (see
 * bench/soak/phases.ts), then checks that every request had exactly one outcome,
 * success ≥ 99.9%, nothing went unhandled, the heap stayed flat, and nothing is
 * left open (the process then exits on its own: this script never calls process.exit).
 *
 *   npm run soak
 *   npm run soak -- --requests 20000 --concurrency 64 --max-minutes 5 --json
 *
 * --max-minutes M (default 10) bounds the run: past it no new request starts, those in
 * flight finish and are checked. --emulator process (default) runs the emulator in a child process, so the
 * figures are the client's CPU only; inline runs it in this process.
 */
import { parseArgs } from 'node:util';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { heapGrowthMb, soakProblems } from './soak/checks.js';
import { inlineEmulator, processEmulator } from './soak/emulatorTarget.js';
import { runSoak } from './soak/runSoak.js';

const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => void unhandled.push(`unhandledRejection: ${String(reason)}`));
process.on('uncaughtException', (error) => void unhandled.push(`uncaughtException: ${error.message}`));

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '128' },
    emulator: { type: 'string', default: 'process' },
    seed: { type: 'string', default: '1' },
    'max-minutes': { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
  strict: true,
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(requests) || requests < 1) throw new TypeError(`--requests: expected a positive integer, got "${values.requests}"`);
if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`--concurrency: expected a positive integer, got "${values.concurrency}"`);
const maxMinutes = Number(values['max-minutes']);
if (!(maxMinutes > 0)) throw new TypeError(`--max-minutes: expected a positive number, got "${values['max-minutes']}"`);
if (values.emulator !== 'process' && values.emulator !== 'inline') throw new TypeError(`--emulator: expected process or inline, got "${values.emulator}"`);

const log = (line: string): void => void process.stderr.write(`soak: ${line}\n`);
const target = values.emulator === 'inline' ? await inlineEmulator(Number(values.seed)) : await processEmulator(Number(values.seed));
log(`${requests} requests at concurrency ${concurrency}, emulator ${target.mode} at ${target.endpoint}`);
const report = await runSoak({ requests, concurrency, target, maxDurationMs: maxMinutes * 60_000, onProgress: (done) => log(`${done}/${requests} in ${Math.round(performance.now() / 1000)} s, heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB`) });
await target.close();
await nextTurn();
await nextTurn();
const activeResources = process.getActiveResourcesInfo();
const problems = soakProblems(report, { unhandled, activeResources });

if (values.json) process.stdout.write(`${JSON.stringify({ report, unhandled, activeResources, problems })}\n`);
else {
  const pct = (report.successRate * 100).toFixed(3);
  process.stdout.write(
    [
      `requests        ${report.requests} of ${report.requested} at concurrency ${report.concurrency} (emulator: ${report.emulator})${report.truncated ? ` (stopped by --max-minutes ${maxMinutes})` : ''}`,
      `duration        ${(report.durationMs / 1000).toFixed(1)} s (${Math.round(report.requests / (report.durationMs / 1000))} requests/s)`,
      `success         ${pct}% (${report.ok} ok, ${report.failed} failed: ${JSON.stringify(report.failuresByKind)})`,
      ...Object.entries(report.failureSamples).map(([kind, sample]) => `  e.g. ${kind}: ${sample.slice(0, 300)}`),
      `outcomes per id ${report.outcomes.exactlyOnce} exactly once, ${report.outcomes.lost} lost, ${report.outcomes.duplicated} duplicated, ${report.outcomes.unknownIds} unknown`,
      ...report.phases.map((p) => `  phase         ${p.name}: ${p.ok} ok, ${p.failed} failed`),
      `emulator        ${JSON.stringify(report.emulatorTotals)}`,
      `events          ${JSON.stringify(report.metrics.events)}`,
      `circuits        ${JSON.stringify(report.circuits)} (phase:breaker→state)`,
      `heap (MB)       ${report.heapMb.join(' ')} (growth ${heapGrowthMb(report).toFixed(1)} MB)`,
      `unhandled       ${unhandled.length}`,
      `active at exit  ${JSON.stringify(activeResources)}`,
      problems.length === 0 ? 'PASS' : `FAIL\n  ${problems.join('\n  ')}`,
      '',
    ].join('\n'),
  );
}
process.exitCode = problems.length === 0 ? 0 : 1;
