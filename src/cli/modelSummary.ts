import type { MetricsSnapshot } from '../observe/metricsSnapshot.js';
import { renderTable } from './table.js';

/** The per-model table printed after a demo or a batch: calls, ok %, latency percentiles, tokens and cost. */
export function modelSummary(snapshot: MetricsSnapshot): string {
  const rows = Object.entries(snapshot.total.byModel)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([modelId, m]) => {
      const finished = m.successes + m.failures;
      return [
        modelId,
        m.requests,
        m.successes,
        finished === 0 ? 0 : Math.round((1000 * m.successes) / finished) / 10,
        m.cancelled,
        Math.round(m.latencyMs.p50),
        Math.round(m.latencyMs.p95),
        Math.round(m.latencyMs.p99),
        m.inputTokens,
        m.outputTokens,
        Math.round(m.costUsd * 1e6) / 1e6,
      ];
    });
  return renderTable(['model', 'calls', 'ok', 'ok %', 'cancelled', 'p50 ms', 'p95 ms', 'p99 ms', 'tokens in', 'tokens out', 'cost $'], rows);
}
