import type { SoakReport } from './runSoak.js';

/** Resource types a finished Node process may still hold without being kept alive by the soak: its own stdio. */
export const EXPECTED_RESOURCES: ReadonlySet<string> = new Set(['TTYWrap', 'PipeWrap', 'FSReqCallback']);

/** What the soak observed besides its report: errors nobody handled and what was left open. */
export interface SoakExtras {
  readonly unhandled: readonly string[];
  readonly activeResources: readonly string[];
}

/** The soak's pass conditions, one line per broken one (empty when it passed). */
export function soakProblems(report: SoakReport, extras: SoakExtras, minSuccessRate = 0.999): string[] {
  const problems: string[] = [];
  const { lost, duplicated, unknownIds } = report.outcomes;
  if (lost > 0 || duplicated > 0 || unknownIds > 0) problems.push(`outcomes: ${lost} lost, ${duplicated} duplicated, ${unknownIds} with an unknown id`);
  if (report.ok + report.failed !== report.requests) problems.push(`outcomes: ${report.ok + report.failed} for ${report.requests} requests`);
  if (report.successRate < minSuccessRate) problems.push(`success ${(report.successRate * 100).toFixed(3)}% < ${minSuccessRate * 100}%`);
  if (report.metrics.requests !== report.requests) problems.push(`metrics counted ${report.metrics.requests} requests, not ${report.requests}`);
  if (report.emulatorTotals.inFlight !== 0) problems.push(`the emulator still has ${report.emulatorTotals.inFlight} requests in flight`);
  if (report.profileErrors.length > 0) problems.push(`profile changes failed: ${report.profileErrors.join('; ')}`);
  if (extras.unhandled.length > 0) problems.push(`unhandled: ${extras.unhandled.join('; ')}`);
  const unexpected = extras.activeResources.filter((r) => !EXPECTED_RESOURCES.has(r));
  if (unexpected.length > 0) problems.push(`left open after the run: ${unexpected.join(', ')}`);
  const growth = heapGrowthMb(report);
  if (growth > Math.max(16, 0.25 * (report.heapMb[0] ?? 0))) problems.push(`heap grew ${growth.toFixed(1)} MB (${report.heapMb.join(' → ')})`);
  return problems;
}

/** Heap growth from the first sample after warm-up to the last, in MB (0 with fewer than two samples). */
export function heapGrowthMb(report: SoakReport): number {
  const h = report.heapMb;
  return h.length < 2 ? 0 : h[h.length - 1]! - h[0]!;
}
