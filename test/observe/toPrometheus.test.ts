import { describe, expect, it } from 'vitest';
import { toPrometheus, type MetricsSnapshot } from '../../src/observe/index.js';
import { SNAPSHOT } from './snapshotFixture.js';

describe('toPrometheus', () => {
  it('renders the text exposition format: HELP/TYPE, counters, windowed summary quantiles and escaped labels', () => {
    expect(toPrometheus(SNAPSHOT)).toBe(
      [
        '# HELP rx_bedrock_requests_total Requests started.',
        '# TYPE rx_bedrock_requests_total counter',
        'rx_bedrock_requests_total{strategy="a \\"b\\"\\\\c\\nd"} 4',
        '# HELP rx_bedrock_request_successes_total Requests that succeeded.',
        '# TYPE rx_bedrock_request_successes_total counter',
        'rx_bedrock_request_successes_total{strategy="a \\"b\\"\\\\c\\nd"} 2',
        '# HELP rx_bedrock_request_failures_total Requests that failed, by error kind.',
        '# TYPE rx_bedrock_request_failures_total counter',
        'rx_bedrock_request_failures_total{strategy="a \\"b\\"\\\\c\\nd",kind="throttled"} 1',
        '# HELP rx_bedrock_request_cancelled_total Requests cancelled by unsubscription.',
        '# TYPE rx_bedrock_request_cancelled_total counter',
        'rx_bedrock_request_cancelled_total{strategy="a \\"b\\"\\\\c\\nd"} 1',
        '# HELP rx_bedrock_request_input_tokens_total Input tokens billed for requests.',
        '# TYPE rx_bedrock_request_input_tokens_total counter',
        'rx_bedrock_request_input_tokens_total{strategy="a \\"b\\"\\\\c\\nd"} 30',
        '# HELP rx_bedrock_request_output_tokens_total Output tokens billed for requests.',
        '# TYPE rx_bedrock_request_output_tokens_total counter',
        'rx_bedrock_request_output_tokens_total{strategy="a \\"b\\"\\\\c\\nd"} 12',
        '# HELP rx_bedrock_request_cost_usd_total Cost of requests in US dollars.',
        '# TYPE rx_bedrock_request_cost_usd_total counter',
        'rx_bedrock_request_cost_usd_total{strategy="a \\"b\\"\\\\c\\nd"} 0.75',
        '# HELP rx_bedrock_request_duration_seconds Latency of requests; quantiles over the last 60 s, sum and count since the start.',
        '# TYPE rx_bedrock_request_duration_seconds summary',
        'rx_bedrock_request_duration_seconds{strategy="a \\"b\\"\\\\c\\nd",quantile="0.5"} 0.12',
        'rx_bedrock_request_duration_seconds{strategy="a \\"b\\"\\\\c\\nd",quantile="0.95"} 0.12',
        'rx_bedrock_request_duration_seconds{strategy="a \\"b\\"\\\\c\\nd",quantile="0.99"} 0.12',
        'rx_bedrock_request_duration_seconds_sum{strategy="a \\"b\\"\\\\c\\nd"} 0.6',
        'rx_bedrock_request_duration_seconds_count{strategy="a \\"b\\"\\\\c\\nd"} 3',
        '# HELP rx_bedrock_attempts_total Model attempts started.',
        '# TYPE rx_bedrock_attempts_total counter',
        'rx_bedrock_attempts_total{model="nova"} 2',
        '# HELP rx_bedrock_attempt_successes_total Model attempts that succeeded.',
        '# TYPE rx_bedrock_attempt_successes_total counter',
        'rx_bedrock_attempt_successes_total{model="nova"} 2',
        '# HELP rx_bedrock_attempt_cancelled_total Model attempts cancelled by unsubscription.',
        '# TYPE rx_bedrock_attempt_cancelled_total counter',
        'rx_bedrock_attempt_cancelled_total{model="nova"} 0',
        '# HELP rx_bedrock_attempt_input_tokens_total Input tokens billed for model attempts.',
        '# TYPE rx_bedrock_attempt_input_tokens_total counter',
        'rx_bedrock_attempt_input_tokens_total{model="nova"} 30',
        '# HELP rx_bedrock_attempt_output_tokens_total Output tokens billed for model attempts.',
        '# TYPE rx_bedrock_attempt_output_tokens_total counter',
        'rx_bedrock_attempt_output_tokens_total{model="nova"} 12',
        '# HELP rx_bedrock_attempt_cost_usd_total Cost of model attempts in US dollars.',
        '# TYPE rx_bedrock_attempt_cost_usd_total counter',
        'rx_bedrock_attempt_cost_usd_total{model="nova"} 0.75',
        '# HELP rx_bedrock_attempt_duration_seconds Latency of model attempts; quantiles over the last 60 s, sum and count since the start.',
        '# TYPE rx_bedrock_attempt_duration_seconds summary',
        'rx_bedrock_attempt_duration_seconds{model="nova",quantile="0.5"} NaN',
        'rx_bedrock_attempt_duration_seconds{model="nova",quantile="0.95"} NaN',
        'rx_bedrock_attempt_duration_seconds{model="nova",quantile="0.99"} NaN',
        'rx_bedrock_attempt_duration_seconds_sum{model="nova"} 0.25',
        'rx_bedrock_attempt_duration_seconds_count{model="nova"} 2',
        '# HELP rx_bedrock_events_total Runtime events by type (retries, fallbacks, circuit changes, throttles, cache hits, hedges, budget stops...).',
        '# TYPE rx_bedrock_events_total counter',
        'rx_bedrock_events_total{type="attempt-started"} 2',
        'rx_bedrock_events_total{type="retry"} 2',
        '',
      ].join('\n'),
    );
  });

  it('uses the prefix given, omits families without samples, and rejects a bad prefix', () => {
    const empty: MetricsSnapshot = { ...SNAPSHOT, total: { byModel: {}, byStrategy: {}, events: { retry: 1 } } };
    expect(toPrometheus(empty, { prefix: 'my_app' })).toBe(
      '# HELP my_app_events_total Runtime events by type (retries, fallbacks, circuit changes, throttles, cache hits, hedges, budget stops...).\n' +
        '# TYPE my_app_events_total counter\nmy_app_events_total{type="retry"} 1\n',
    );
    expect(() => toPrometheus(SNAPSHOT, { prefix: 'bad-prefix' })).toThrow(/prefix/);
  });
});
