import type { LatencySummary, MetricsSnapshot, SeriesMetrics } from '../../src/observe/index.js';

const latency = (count: number, sum: number, p50: number, p95: number, p99: number): LatencySummary => ({
  count,
  sum,
  min: p50,
  max: p99,
  mean: count === 0 ? 0 : sum / count,
  p50,
  p95,
  p99,
});

const series = (overrides: Partial<SeriesMetrics>): SeriesMetrics => ({
  requests: 0,
  successes: 0,
  failures: 0,
  cancelled: 0,
  failuresByKind: {},
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  latencyMs: latency(0, 0, 0, 0, 0),
  stream: { firstTokenMs: latency(0, 0, 0, 0, 0), completed: 0, tokensPerSecond: 0, stalls: 0 },
  ...overrides,
});

const odd = 'a "b"\\c\nd';

/** A snapshot with an awkward strategy label, a model and a few events. */
export const SNAPSHOT: MetricsSnapshot = {
  time: 1_000,
  windowMs: 60_000,
  total: {
    byStrategy: {
      [odd]: series({ requests: 4, successes: 2, failures: 1, cancelled: 1, failuresByKind: { throttled: 1 }, inputTokens: 30, outputTokens: 12, costUsd: 0.75, latencyMs: latency(3, 600, 100, 300, 300) }),
    },
    byModel: {
      nova: series({ requests: 2, successes: 2, inputTokens: 30, outputTokens: 12, costUsd: 0.75, latencyMs: latency(2, 250, 100, 150, 150) }),
    },
    events: { retry: 2, 'attempt-started': 2 },
  },
  window: {
    byStrategy: { [odd]: series({ requests: 1, successes: 1, latencyMs: latency(1, 120, 120, 120, 120) }) },
    byModel: {},
    events: { retry: 1 },
  },
};

