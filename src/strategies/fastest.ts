import { defer, filter, finalize, mergeMap, scan, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { NO_EVENTS, type EventBus, type RuntimeEvent } from '../core/events.js';
import type { Model } from '../core/model.js';
import type { InferenceRequest } from '../core/request.js';
import { candidatesOf } from './internal/candidates.js';
import { checkNumber } from './internal/checkOption.js';
import { tryInOrder, type Candidate } from './internal/tryInOrder.js';

/** Options of {@link fastest}. */
export interface FastestConfig {
  /** Candidates whose observed latency is at most this are tried, fastest first. */
  readonly maxLatencyMs: number;
  /** Where observed latencies come from: the `attempt-succeeded` (and `attempt-failed`) events of the candidates. */
  readonly events$: Observable<RuntimeEvent>;
  /** Weight of a new latency sample in the EMA (0–1]. Default 0.3. */
  readonly alpha?: number;
  /** Where to emit `fallback` events. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/** What {@link fastest} has observed of one model: its latency EMA (once it answered) and its failures. */
export interface ObservedLatency {
  readonly emaMs?: number;
  readonly failures: number;
}

/** One step of the latency scan: a success moves the model's EMA, a failure counts. */
export function observeLatency(
  table: Readonly<Record<string, ObservedLatency>>,
  event: RuntimeEvent,
  alpha: number,
): Readonly<Record<string, ObservedLatency>> {
  const seen = table[event.type === 'attempt-succeeded' || event.type === 'attempt-failed' ? event.modelId : ''];
  if (event.type === 'attempt-succeeded' && seen) {
    const emaMs = seen.emaMs === undefined ? event.latencyMs : seen.emaMs + alpha * (event.latencyMs - seen.emaMs);
    return { ...table, [event.modelId]: { ...seen, emaMs } };
  }
  if (event.type === 'attempt-failed' && seen) return { ...table, [event.modelId]: { ...seen, failures: seen.failures + 1 } };
  return table;
}

/** The order {@link fastest} tries candidates in: never-observed ones (to learn them), those within `maxLatencyMs` fastest first (or the fastest alone if none is), then those that only ever failed. */
export function latencyOrder(candidates: readonly Candidate[], table: Readonly<Record<string, ObservedLatency>>, maxLatencyMs: number): readonly Candidate[] {
  const unknown = candidates.filter((c) => table[c.id]!.emaMs === undefined && table[c.id]!.failures === 0);
  const failedOnly = candidates.filter((c) => table[c.id]!.emaMs === undefined && table[c.id]!.failures > 0);
  const known = candidates.filter((c) => table[c.id]!.emaMs !== undefined).sort((a, b) => table[a.id]!.emaMs! - table[b.id]!.emaMs!);
  const within = known.filter((c) => table[c.id]!.emaMs! <= maxLatencyMs);
  return [...unknown, ...(within.length > 0 ? within : known.slice(0, 1)), ...failedOnly];
}

/**
 * Picks by observed latency, not a static table: an EMA per model, folded by
 * a `scan` over the `attempt-succeeded` events on `events$`. A request tries
 * the models within `maxLatencyMs` fastest first (falling back on failure),
 * or only the fastest when none is within; a model never observed is tried
 * first, so it gets learnt. The scan listens while requests are running.
 *
 * ```text
 * observed: a 300 ms, b 100 ms, c 900 ms; maxLatencyMs: 500
 * order:    b, a          (c is over the limit)
 * b:        -#
 * a:         ---r|
 * result:   ----(r|)      r.attempts = [b failure, a success]
 * ```
 *
 * Emits: a candidate's answer, a non-fallback error, `all-failed`.
 *
 * @example
 * ```ts
 * const quick = fastest({ 'nova-micro': micro, 'nova-lite': lite }, { maxLatencyMs: 800, events$: bus.events$ });
 * ```
 */
export function fastest(models: Readonly<Record<string, Model>> | readonly Candidate[], config: FastestConfig): Model {
  const candidates = candidatesOf('fastest', models);
  const maxLatencyMs = checkNumber('fastest', 'maxLatencyMs', config.maxLatencyMs, 0);
  const alpha = checkNumber('fastest', 'alpha', config.alpha ?? 0.3, 0);
  if (alpha === 0 || alpha > 1) throw new TypeError(`fastest: alpha must be in (0, 1], got ${alpha}`);
  if (config.events$ === undefined || typeof config.events$.subscribe !== 'function') throw new TypeError('fastest: events$ must be an Observable of RuntimeEvents');
  const events = config.events ?? NO_EVENTS;
  let table: Readonly<Record<string, ObservedLatency>> = Object.fromEntries(candidates.map((c) => [c.id, { failures: 0 }]));
  let listeners = 0;
  let learning: Subscription | undefined;
  const learn$ = defer(() =>
    config.events$.pipe(
      filter((e) => e.type === 'attempt-succeeded' || e.type === 'attempt-failed'),
      scan((t, e) => observeLatency(t, e, alpha), table),
    ),
  );
  const attach = () => {
    if (listeners++ === 0) learning = learn$.subscribe((t) => (table = t));
  };
  const detach = () => {
    if (--listeners === 0) learning?.unsubscribe();
  };

  const call = (request: InferenceRequest) =>
    tryInOrder(request, latencyOrder(candidates, table, maxLatencyMs), { scheduler: schedulerOf(config), events, strategy: 'fastest' });

  return (source) =>
    defer(() => {
      attach();
      return source.pipe(mergeMap(call), finalize(detach));
    });
}
