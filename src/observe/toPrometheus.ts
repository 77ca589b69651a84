import type { MetricsSnapshot, SeriesMetrics } from './metricsSnapshot.js';

/** Options of {@link toPrometheus}. */
export interface PrometheusConfig {
  /** Prefix of every metric name. Default `rx_bedrock`. */
  readonly prefix?: string;
}

type Labels = readonly (readonly [string, string])[];
interface Family {
  readonly name: string;
  readonly type: 'counter' | 'summary';
  readonly help: string;
  readonly samples: (readonly [suffix: string, labels: Labels, value: number])[];
}

const QUANTILES = [
  ['0.5', 'p50'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
] as const;

/** Returns `prefix` if it is a valid Prometheus metric name, else throws a `TypeError` naming `who`'s option. */
export function checkPrefix(prefix: string, who: string): string {
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new TypeError(`${who}: prefix must be a valid metric name, got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

/** A label value with `\`, `"` and newlines escaped. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function render(family: Family): string {
  if (family.samples.length === 0) return '';
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`];
  for (const [suffix, labels, value] of family.samples) {
    const body = labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
    lines.push(`${family.name}${suffix}${body ? `{${body}}` : ''} ${formatValue(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function seriesFamilies(
  name: (metric: string) => string,
  label: string,
  what: string,
  total: Readonly<Record<string, SeriesMetrics>>,
  window: Readonly<Record<string, SeriesMetrics>>,
  windowSeconds: number,
): Family[] {
  const keys = Object.keys(total);
  const counter = (metric: string, help: string, value: (s: SeriesMetrics) => number): Family => ({
    name: name(metric),
    type: 'counter',
    help,
    samples: keys.map((key) => ['', [[label, key]], value(total[key]!)] as const),
  });
  return [
    counter('total', `${what} started.`, (s) => s.requests),
    counter('successes_total', `${what} that succeeded.`, (s) => s.successes),
    {
      name: name('failures_total'),
      type: 'counter',
      help: `${what} that failed, by error kind.`,
      samples: keys.flatMap((key) =>
        Object.entries(total[key]!.failuresByKind).map(([kind, n]) => ['', [[label, key], ['kind', kind]], n] as const),
      ),
    },
    counter('cancelled_total', `${what} cancelled by unsubscription.`, (s) => s.cancelled),
    counter('input_tokens_total', `Input tokens billed for ${what.toLowerCase()}.`, (s) => s.inputTokens),
    counter('output_tokens_total', `Output tokens billed for ${what.toLowerCase()}.`, (s) => s.outputTokens),
    counter('cost_usd_total', `Cost of ${what.toLowerCase()} in US dollars.`, (s) => s.costUsd),
    {
      name: name('duration_seconds'),
      type: 'summary',
      help: `Latency of ${what.toLowerCase()}; quantiles over the last ${windowSeconds} s, sum and count since the start.`,
      samples: keys.flatMap((key) => {
        const latency = (window[key] ?? total[key]!).latencyMs;
        const windowed = window[key] !== undefined;
        return [
          ...QUANTILES.map(([q, field]) => ['', [[label, key], ['quantile', q]], windowed ? latency[field] / 1000 : NaN] as const),
          ['_sum', [[label, key]], total[key]!.latencyMs.sum / 1000] as const,
          ['_count', [[label, key]], total[key]!.latencyMs.count] as const,
        ];
      }),
    },
  ];
}

/** Time to first token, stalls and completed streams per model, for models that streamed. */
function streamFamilies(prefix: string, snapshot: MetricsSnapshot): Family[] {
  const streamed = Object.keys(snapshot.total.byModel).filter((key) => {
    const s = snapshot.total.byModel[key]!.stream;
    return s.firstTokenMs.count + s.completed + s.stalls > 0;
  });
  const counter = (metric: string, help: string, value: (s: SeriesMetrics) => number): Family => ({
    name: `${prefix}_${metric}`,
    type: 'counter',
    help,
    samples: streamed.map((key) => ['', [['model', key]], value(snapshot.total.byModel[key]!)] as const),
  });
  return [
    counter('streams_completed_total', 'Streams that ran to their end.', (s) => s.stream.completed),
    counter('stream_stalls_total', 'Streams that went silent past their stall timeout.', (s) => s.stream.stalls),
    {
      name: `${prefix}_stream_first_token_seconds`,
      type: 'summary',
      help: `Time to first token; quantiles over the last ${snapshot.windowMs / 1000} s, sum and count since the start.`,
      samples: streamed.flatMap((key) => {
        const windowed = snapshot.window.byModel[key]?.stream.firstTokenMs;
        const total = snapshot.total.byModel[key]!.stream.firstTokenMs;
        return [
          ...QUANTILES.map(([q, field]) => ['', [['model', key], ['quantile', q]], windowed && windowed.count > 0 ? windowed[field] / 1000 : NaN] as const),
          ['_sum', [['model', key]], total.sum / 1000] as const,
          ['_count', [['model', key]], total.count] as const,
        ];
      }),
    },
  ];
}

/**
 * Renders a snapshot in the Prometheus text exposition format (0.0.4): counters
 * (`_total`) since the start, and latency summaries whose quantiles cover the
 * sliding window (as Prometheus summaries do) while `_sum`/`_count` cover all
 * time; a series with nothing in the window reports `NaN` quantiles.
 * Families: `<prefix>_requests_total` and `<prefix>_request_*` per strategy,
 * `<prefix>_attempts_total` and `<prefix>_attempt_*` per model, and
 * `<prefix>_events_total` per event type.
 *
 * @example
 * ```ts
 * res.end(toPrometheus(collector.snapshot(), { prefix: 'myapp' }));
 * ```
 *
 * @param snapshot what {@link metrics} or {@link createMetrics} produced
 * @param config the metric name prefix
 * @returns the exposition text, ending in a newline
 */
export function toPrometheus(snapshot: MetricsSnapshot, config: PrometheusConfig = {}): string {
  const prefix = checkPrefix(config.prefix ?? 'rx_bedrock', 'toPrometheus');
  const windowSeconds = snapshot.windowMs / 1000;
  const families: Family[] = [
    ...seriesFamilies((m) => (m === 'total' ? `${prefix}_requests_total` : `${prefix}_request_${m}`), 'strategy', 'Requests', snapshot.total.byStrategy, snapshot.window.byStrategy, windowSeconds),
    ...seriesFamilies((m) => (m === 'total' ? `${prefix}_attempts_total` : `${prefix}_attempt_${m}`), 'model', 'Model attempts', snapshot.total.byModel, snapshot.window.byModel, windowSeconds),
    ...streamFamilies(prefix, snapshot),
    {
      name: `${prefix}_events_total`,
      type: 'counter',
      help: 'Runtime events by type (retries, fallbacks, circuit changes, throttles, cache hits, hedges, budget stops...).',
      samples: Object.entries(snapshot.total.events)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([type, n]) => ['', [['type', type]], n ?? 0] as const),
    },
  ];
  return families.map(render).join('');
}
