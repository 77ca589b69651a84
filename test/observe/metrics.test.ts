import { describe, expect, it } from 'vitest';
import { map, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { SchedulerLike } from 'rxjs';
import type { RuntimeEvent } from '../../src/core/index.js';
import { createMetrics, metrics, type MetricsSnapshot } from '../../src/observe/index.js';
import { eventsAt, requestEvents } from './events.js';

const NO_STREAMS = { firstTokenMs: { count: 0, sum: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 }, completed: 0, tokensPerSecond: 0, stalls: 0 };

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const EMPTY_LATENCY = { count: 0, sum: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 };

describe('metrics', () => {
  it('counts requests per strategy with exact totals and percentiles, snapshot on completion', () => {
    const snapshots: MetricsSnapshot[] = [];
    scheduler().run(({ expectObservable }) => {
      const entries = [
        ...[10, 20, 30, 40, 50, 60, 70, 80, 90, 100].flatMap((latency, i) => requestEvents(`ok${i}`, i, latency)),
        ...requestEvents('t1', 0, 5, 'throttled'),
        ...requestEvents('t2', 1, 200, 'timeout'),
        ...requestEvents('c1', 2, 3, 'cancelled'),
      ];
      const out = metrics(eventsAt(entries), { everyMs: 1_000 });
      expectObservable(out.pipe(map((s) => s.time))).toBe('201ms (a|)', { a: 201 });
      out.subscribe((s) => snapshots.push(s));
    });
    const [last] = snapshots;
    expect(last!.total.byStrategy).toEqual({
      fallback: {
        requests: 13,
        successes: 10,
        failures: 2,
        cancelled: 1,
        failuresByKind: { throttled: 1, timeout: 1 },
        inputTokens: 100,
        outputTokens: 40,
        costUsd: 5,
        latencyMs: { count: 12, sum: 755, min: 5, max: 200, mean: 755 / 12, p50: 50, p95: 200, p99: 200 },
        stream: NO_STREAMS,
      },
    });
    expect(last!.total.byModel).toEqual({});
    expect(last!.total.events).toEqual({ 'request-started': 13, 'request-completed': 13 });
  });

  it('counts attempts per model, cancellations apart, and every other event by type', () => {
    const snapshots: MetricsSnapshot[] = [];
    scheduler().run(() => {
      const entries = eventsAt([
        [0, { type: 'attempt-started', requestId: 'r', modelId: 'nova', api: 'converse' }],
        [3, { type: 'attempt-failed', requestId: 'r', modelId: 'nova', latencyMs: 3, errorKind: 'throttled', message: 'slow' }],
        [3, { type: 'retry', requestId: 'r', attempt: 1, delayMs: 2, errorKind: 'throttled', modelId: 'nova' }],
        [5, { type: 'attempt-started', requestId: 'r', modelId: 'nova', api: 'converse' }],
        [5, { type: 'hedge-fired', requestId: 'r', attempt: 1, modelId: 'claude' }],
        [5, { type: 'attempt-started', requestId: 'r', modelId: 'claude', api: 'converse' }],
        [9, { type: 'attempt-succeeded', requestId: 'r', modelId: 'claude', latencyMs: 4, usage: { inputTokens: 7, outputTokens: 9 }, costUsd: 0.25 }],
        [9, { type: 'attempt-cancelled', requestId: 'r', modelId: 'nova', latencyMs: 4 }],
        [9, { type: 'fallback', requestId: 'q', from: 'nova', to: 'claude', reason: 'throttled' }],
        [9, { type: 'circuit-state', requestId: 'q', key: 'nova', from: 'closed', to: 'open' }],
        [9, { type: 'throttled', requestId: 'q', key: 'nova', waitMs: 10, queued: true }],
        [9, { type: 'cache-hit', requestId: 'q', key: 'k', shared: false }],
        [9, { type: 'budget-exceeded', requestId: 'q', key: 'b', spentUsd: 1, spentTokens: 100 }],
      ]);
      metrics(entries).subscribe((s) => snapshots.push(s));
    });
    const { total } = snapshots[snapshots.length - 1]!;
    expect(total.byModel).toEqual({
      claude: {
        requests: 1,
        successes: 1,
        failures: 0,
        cancelled: 0,
        failuresByKind: {},
        inputTokens: 7,
        outputTokens: 9,
        costUsd: 0.25,
        latencyMs: { count: 1, sum: 4, min: 4, max: 4, mean: 4, p50: 4, p95: 4, p99: 4 },
        stream: NO_STREAMS,
      },
      nova: {
        requests: 2,
        successes: 0,
        failures: 1,
        cancelled: 1,
        failuresByKind: { throttled: 1 },
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        latencyMs: { count: 1, sum: 3, min: 3, max: 3, mean: 3, p50: 3, p95: 3, p99: 3 },
        stream: NO_STREAMS,
      },
    });
    expect(total.events).toEqual({
      'attempt-started': 3,
      'attempt-failed': 1,
      'attempt-succeeded': 1,
      'attempt-cancelled': 1,
      retry: 1,
      'hedge-fired': 1,
      fallback: 1,
      'circuit-state': 1,
      throttled: 1,
      'cache-hit': 1,
      'budget-exceeded': 1,
    });
  });

  it('slides the window bucket by bucket while the totals keep everything', () => {
    const snapshots: MetricsSnapshot[] = [];
    scheduler().run(({ expectObservable }) => {
      const events = eventsAt([...requestEvents('a', 0, 1), ...requestEvents('b', 6, 2, 'unavailable'), [27, { type: 'retry', requestId: 'x', attempt: 1, delayMs: 0, errorKind: 'timeout' }]]);
      const out = metrics(events, { windowMs: 10, buckets: 2, everyMs: 5 });
      expectObservable(out.pipe(map((s) => s.time))).toBe('-----a----b----c----d----e-(f|)', { a: 5, b: 10, c: 15, d: 20, e: 25, f: 27 });
      out.subscribe((s) => snapshots.push(s));
    });
    const windowed = snapshots.map((s) => {
      const series = s.window.byStrategy.fallback;
      return series ? `${s.time}:${series.requests}/${series.successes}/${series.failures}` : `${s.time}:empty`;
    });
    expect(windowed).toEqual(['5:1/1/0', '10:1/0/1', '15:empty', '20:empty', '25:empty', '27:empty']);
    expect(snapshots[2]!.window).toEqual({ byModel: {}, byStrategy: {}, events: {} });
    expect(snapshots[5]!.window.events).toEqual({ retry: 1 });
    expect(snapshots[5]!.total.byStrategy.fallback).toMatchObject({ requests: 2, successes: 1, failures: 1, failuresByKind: { unavailable: 1 } });
    expect(snapshots[1]!.window.byStrategy.fallback!.latencyMs).toEqual({ count: 1, sum: 2, min: 2, max: 2, mean: 2, p50: 2, p95: 2, p99: 2 });
    expect(snapshots[0]!.windowMs).toBe(10);
  });

  it('groups models past maxSeries under (other)', () => {
    const snapshots: MetricsSnapshot[] = [];
    scheduler().run(() => {
      const events = eventsAt(['m1', 'm2', 'm3', 'm4'].map((modelId) => [0, { type: 'attempt-started', requestId: 'r', modelId, api: 'converse' }] as const));
      metrics(events, { maxSeries: 2 }).subscribe((s) => snapshots.push(s));
    });
    expect(Object.entries(snapshots[0]!.total.byModel).map(([k, v]) => `${k}:${v.requests}`)).toEqual(['(other):2', 'm1:1', 'm2:1']);
  });

  it('checks options when created', () => {
    const events$ = new Subject<RuntimeEvent>();
    expect(() => metrics(events$, { windowMs: 0 })).toThrow(/windowMs/);
    expect(() => metrics(events$, { buckets: 2.5 })).toThrow(/buckets/);
    expect(() => metrics(events$, { everyMs: -1 })).toThrow(/everyMs/);
    expect(() => createMetrics(events$, { maxSeries: 0 })).toThrow(/maxSeries/);
  });
});

describe('createMetrics', () => {
  it('counts from creation, answers snapshot() at any time, and stops on stop()', () => {
    let clock = 0;
    const clockOnly = { now: () => clock } as unknown as SchedulerLike;
    const events$ = new Subject<RuntimeEvent>();
    const collector = createMetrics(events$, { scheduler: clockOnly, windowMs: 1_000, buckets: 10 });
    events$.next({ type: 'request-started', time: 0, requestId: 'a' });
    events$.next({ type: 'request-completed', time: 40, requestId: 'a', ok: false, errorKind: 'validation', latencyMs: 40 });
    clock = 50;
    const first = collector.snapshot();
    expect(first.total.byStrategy.default).toMatchObject({ requests: 1, failures: 1, failuresByKind: { validation: 1 } });
    expect(first.window.byStrategy.default!.latencyMs).toEqual({ ...EMPTY_LATENCY, count: 1, sum: 40, min: 40, max: 40, mean: 40, p50: 40, p95: 40, p99: 40 });
    clock = 2_000;
    expect(collector.snapshot().window.byStrategy).toEqual({});
    collector.stop();
    events$.next({ type: 'request-started', time: 2_000, requestId: 'b' });
    expect(collector.snapshot().total.byStrategy.default!.requests).toBe(1);
    expect(first.total.byStrategy.default!.requests).toBe(1);
  });

  it('emits snapshots on metrics$ every everyMs until stopped', () => {
    scheduler().run(({ hot, expectObservable, cold }) => {
      const events$ = hot<RuntimeEvent>('-a', { a: { type: 'request-started', time: 1, requestId: 'a' } });
      const collector = createMetrics(events$, { everyMs: 3 });
      cold('-------s').subscribe(() => collector.stop());
      expectObservable(collector.metrics$.pipe(map((s) => `${s.time}:${s.total.byStrategy.default?.requests ?? 0}`))).toBe('---a--b|', { a: '3:1', b: '6:1' });
    });
  });
});

describe('stream metrics', () => {
  it('counts time to first token, tokens per second and stalls per model, and renders them for Prometheus', async () => {
    const { toPrometheus } = await import('../../src/observe/index.js');
    const events$ = new Subject<RuntimeEvent>();
    const collector = createMetrics(events$);
    const at = (time: number, event: Record<string, unknown>) => events$.next({ time, requestId: 'r', ...event } as RuntimeEvent);
    at(0, { type: 'first-token', modelId: 'nova', ttftMs: 120 });
    at(0, { type: 'first-token', modelId: 'nova', ttftMs: 80 });
    at(0, { type: 'stream-completed', modelId: 'nova', tokensPerSecond: 30 });
    at(0, { type: 'stream-completed', modelId: 'nova', tokensPerSecond: 50 });
    at(0, { type: 'stream-stalled', modelId: 'nova', silentMs: 5000 });
    const stream = collector.snapshot().total.byModel.nova!.stream;
    expect(stream).toEqual({ firstTokenMs: { count: 2, sum: 200, min: 80, max: 120, mean: 100, p50: 80, p95: 120, p99: 120 }, completed: 2, tokensPerSecond: 40, stalls: 1 });
    const text = toPrometheus(collector.snapshot());
    expect(text).toContain('rx_bedrock_streams_completed_total{model="nova"} 2');
    expect(text).toContain('rx_bedrock_stream_stalls_total{model="nova"} 1');
    expect(text).toContain('rx_bedrock_stream_first_token_seconds_count{model="nova"} 2');
    collector.stop();
  });
});
