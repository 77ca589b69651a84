import type { ModelErrorKind } from '../core/errors.js';
import type { RuntimeEvent, RuntimeEventType } from '../core/events.js';
import type { Usage } from '../core/response.js';
import { LatencyHistogram } from './latencyHistogram.js';
import type { ResolvedMetricsConfig } from './metricsConfig.js';
import { DEFAULT_STRATEGY, OTHER_SERIES, type MetricsSnapshot, type MetricsView, type SeriesMetrics } from './metricsSnapshot.js';

/** Mutable counters of one series; only ever seen through a fresh {@link SeriesMetrics}. */
interface Series {
  requests: number;
  successes: number;
  failures: number;
  cancelled: number;
  readonly failuresByKind: Map<ModelErrorKind, number>;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  readonly latency: LatencyHistogram;
  /** Created on the series' first `first-token` event, so series that never stream cost nothing more. */
  firstToken: LatencyHistogram | undefined;
  streamsCompleted: number;
  tokensPerSecondSum: number;
  stalls: number;
}

/** Everything counted over one span of time. */
interface Section {
  readonly byModel: Map<string, Series>;
  readonly byStrategy: Map<string, Series>;
  readonly events: Map<RuntimeEventType, number>;
}

/** The accumulator: totals plus a fixed ring of per-bucket sections. Its size depends on series and buckets, never on requests. */
export interface MetricsState {
  readonly config: ResolvedMetricsConfig;
  readonly total: Section;
  readonly ring: { epoch: number; readonly section: Section }[];
}

function newSeries(): Series {
  return {
    requests: 0,
    successes: 0,
    failures: 0,
    cancelled: 0,
    failuresByKind: new Map(),
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    latency: new LatencyHistogram(),
    firstToken: undefined,
    streamsCompleted: 0,
    tokensPerSecondSum: 0,
    stalls: 0,
  };
}

function newSection(): Section {
  return { byModel: new Map(), byStrategy: new Map(), events: new Map() };
}

function resetSection(section: Section): void {
  for (const series of [...section.byModel.values(), ...section.byStrategy.values()]) {
    series.requests = series.successes = series.failures = series.cancelled = 0;
    series.inputTokens = series.outputTokens = series.costUsd = 0;
    series.streamsCompleted = series.tokensPerSecondSum = series.stalls = 0;
    series.failuresByKind.clear();
    series.latency.reset();
    series.firstToken?.reset();
  }
  section.events.clear();
}

/** A fresh accumulator. */
export function createMetricsState(config: ResolvedMetricsConfig): MetricsState {
  return { config, total: newSection(), ring: Array.from({ length: config.buckets }, () => ({ epoch: -Infinity, section: newSection() })) };
}

function seriesOf(map: Map<string, Series>, key: string, maxSeries: number): Series {
  let series = map.get(key);
  if (series === undefined) {
    const name = map.size < maxSeries || key === OTHER_SERIES ? key : OTHER_SERIES;
    series = map.get(name) ?? newSeries();
    map.set(name, series);
  }
  return series;
}

function succeed(series: Series, latencyMs: number, usage: Usage | undefined, costUsd: number | undefined): void {
  series.successes++;
  series.latency.record(latencyMs);
  if (usage !== undefined) {
    series.inputTokens += usage.inputTokens;
    series.outputTokens += usage.outputTokens;
  }
  if (costUsd !== undefined) series.costUsd += costUsd;
}

function fail(series: Series, latencyMs: number, kind: ModelErrorKind | undefined): void {
  if (kind === 'cancelled') {
    series.cancelled++;
    return;
  }
  series.failures++;
  series.latency.record(latencyMs);
  const key = kind ?? 'model-error';
  series.failuresByKind.set(key, (series.failuresByKind.get(key) ?? 0) + 1);
}

function recordInto(section: Section, event: RuntimeEvent, maxSeries: number): void {
  section.events.set(event.type, (section.events.get(event.type) ?? 0) + 1);
  switch (event.type) {
    case 'request-started':
      seriesOf(section.byStrategy, event.strategy ?? DEFAULT_STRATEGY, maxSeries).requests++;
      break;
    case 'request-completed': {
      const series = seriesOf(section.byStrategy, event.strategy ?? DEFAULT_STRATEGY, maxSeries);
      if (event.ok) succeed(series, event.latencyMs, event.usage, event.costUsd);
      else fail(series, event.latencyMs, event.errorKind);
      break;
    }
    case 'attempt-started':
      seriesOf(section.byModel, event.modelId, maxSeries).requests++;
      break;
    case 'attempt-succeeded':
      succeed(seriesOf(section.byModel, event.modelId, maxSeries), event.latencyMs, event.usage, event.costUsd);
      break;
    case 'attempt-failed':
      fail(seriesOf(section.byModel, event.modelId, maxSeries), event.latencyMs, event.errorKind);
      break;
    case 'attempt-cancelled':
      fail(seriesOf(section.byModel, event.modelId, maxSeries), event.latencyMs, 'cancelled');
      break;
    case 'first-token': {
      const series = seriesOf(section.byModel, event.modelId, maxSeries);
      (series.firstToken ??= new LatencyHistogram()).record(event.ttftMs);
      break;
    }
    case 'stream-completed': {
      const series = seriesOf(section.byModel, event.modelId, maxSeries);
      series.streamsCompleted++;
      series.tokensPerSecondSum += event.tokensPerSecond;
      break;
    }
    case 'stream-stalled':
      seriesOf(section.byModel, event.modelId, maxSeries).stalls++;
      break;
    default:
      break;
  }
}

/**
 * The `scan` step: counts `event` in the totals and in the ring bucket of its
 * time (recycling a bucket whose epoch has passed). Mutates and returns `state`.
 */
export function recordEvent(state: MetricsState, event: RuntimeEvent): MetricsState {
  const { bucketMs, buckets, maxSeries } = state.config;
  recordInto(state.total, event, maxSeries);
  const epoch = Math.floor(event.time / bucketMs);
  const slot = state.ring[((epoch % buckets) + buckets) % buckets]!;
  if (slot.epoch !== epoch) {
    if (epoch < slot.epoch) return state;
    resetSection(slot.section);
    slot.epoch = epoch;
  }
  recordInto(slot.section, event, maxSeries);
  return state;
}

function viewOfSeries(parts: readonly Series[]): SeriesMetrics {
  const latency = new LatencyHistogram();
  const failuresByKind: Partial<Record<ModelErrorKind, number>> = {};
  let requests = 0;
  let successes = 0;
  let failures = 0;
  let cancelled = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  const firstToken = new LatencyHistogram();
  let completed = 0;
  let tokensPerSecondSum = 0;
  let stalls = 0;
  for (const part of parts) {
    if (part.firstToken) firstToken.add(part.firstToken);
    completed += part.streamsCompleted;
    tokensPerSecondSum += part.tokensPerSecondSum;
    stalls += part.stalls;
    requests += part.requests;
    successes += part.successes;
    failures += part.failures;
    cancelled += part.cancelled;
    inputTokens += part.inputTokens;
    outputTokens += part.outputTokens;
    costUsd += part.costUsd;
    latency.add(part.latency);
    for (const [kind, n] of part.failuresByKind) failuresByKind[kind] = (failuresByKind[kind] ?? 0) + n;
  }
  return {
    requests,
    successes,
    failures,
    cancelled,
    failuresByKind,
    inputTokens,
    outputTokens,
    costUsd,
    latencyMs: latency.summary(),
    stream: { firstTokenMs: firstToken.summary(), completed, tokensPerSecond: completed === 0 ? 0 : tokensPerSecondSum / completed, stalls },
  };
}

function viewOfMaps(maps: readonly Map<string, Series>[]): Record<string, SeriesMetrics> {
  const byKey = new Map<string, Series[]>();
  for (const map of maps) for (const [key, series] of map) if (series.requests + series.successes + series.failures + series.cancelled + series.streamsCompleted + series.stalls + (series.firstToken?.count ?? 0) > 0) byKey.set(key, [...(byKey.get(key) ?? []), series]);
  const view: Record<string, SeriesMetrics> = {};
  for (const key of [...byKey.keys()].sort()) view[key] = viewOfSeries(byKey.get(key)!);
  return view;
}

function viewOf(sections: readonly Section[]): MetricsView {
  const events: Partial<Record<RuntimeEventType, number>> = {};
  for (const section of sections) for (const [type, n] of section.events) events[type] = (events[type] ?? 0) + n;
  return {
    byModel: viewOfMaps(sections.map((s) => s.byModel)),
    byStrategy: viewOfMaps(sections.map((s) => s.byStrategy)),
    events,
  };
}

/** A fresh, unshared view of `state` at `now`: the totals, and the ring buckets still inside the window. */
export function snapshotOf(state: MetricsState, now: number): MetricsSnapshot {
  const { bucketMs, buckets, windowMs } = state.config;
  const current = Math.floor(now / bucketMs);
  const live = state.ring.filter((slot) => slot.epoch > current - buckets && slot.epoch <= current).map((slot) => slot.section);
  return { time: now, windowMs, total: viewOf([state.total]), window: viewOf(live) };
}
