import { defer, finalize, from, ignoreElements, of, switchMap, tap, type Observable } from 'rxjs';
import type { RuntimeEvent } from '../core/events.js';
import { createSpanTracker, type OtelApiLike, type TracerLike } from './tracingInternals.js';

export type { AttributeValueLike, OtelApiLike, SpanLike, TracerLike } from './tracingInternals.js';

/** Options of {@link traceEvents}. */
export interface TracingConfig {
  /** The tracer to start spans on. Default `api.trace.getTracer('rx-bedrock')` (the global provider's). */
  readonly tracer?: TracerLike;
  /**
   * The `@opentelemetry/api` module. Default: imported on subscription, so the
   * library loads without it; events before the import resolves are not traced.
   * Pass it to trace from the very first event.
   */
  readonly api?: OtelApiLike;
  /** Requests whose spans may be open at once; past it the oldest are ended (`rx_bedrock.ended_by = evicted`). Default 10,000. */
  readonly maxOpenRequests?: number;
}

async function loadApi(): Promise<OtelApiLike> {
  try {
    return (await import('@opentelemetry/api')) as unknown as OtelApiLike;
  } catch (error) {
    throw new Error('traceEvents needs the optional peer dependency @opentelemetry/api (npm install @opentelemetry/api)', { cause: error });
  }
}

/**
 * Turns the event stream into OpenTelemetry spans: one span per request
 * (`request-started` … `request-completed`) and a child CLIENT span per model
 * attempt, timed by the events' scheduler clock, with GenAI semantic-convention
 * attributes (`gen_ai.operation.name` = `chat`, `gen_ai.provider.name` =
 * `aws.bedrock`, `gen_ai.request.model`, `gen_ai.response.model`,
 * `gen_ai.usage.input_tokens`/`output_tokens`, `error.type` = the ModelError
 * kind) plus `rx_bedrock.request_id`. Retries, fallbacks, hedges, throttles and
 * cache hits become span events on the request's span. Spans still open when
 * `events$` ends or the subscription stops are ended then.
 *
 * `@opentelemetry/api` is an optional peer: it is imported dynamically unless
 * given, and the tracer is typed structurally. Event times become span times,
 * so they should be epoch milliseconds (what `asyncScheduler.now()` gives);
 * OpenTelemetry reads small numbers as offsets from the process's start.
 *
 * @example
 * ```ts
 * traceEvents(bus.events$).subscribe(); // spans go to the globally registered provider
 * ```
 *
 * @param events$ the runtime events
 * @param config tracer, api module and the bound on open requests
 * @returns an Observable that emits nothing, traces while subscribed and completes with `events$`
 */
export function traceEvents(events$: Observable<RuntimeEvent>, config: TracingConfig = {}): Observable<never> {
  const maxOpen = config.maxOpenRequests ?? 10_000;
  if (!Number.isSafeInteger(maxOpen) || maxOpen < 1) throw new TypeError(`traceEvents: maxOpenRequests must be a positive integer, got ${String(maxOpen)}`);
  if (config.tracer !== undefined && typeof config.tracer.startSpan !== 'function') throw new TypeError('traceEvents: tracer must have startSpan');
  const api$ = config.api !== undefined ? of(config.api) : defer(() => from(loadApi()));
  return api$.pipe(
    switchMap((api) => {
      const tracker = createSpanTracker(api, config.tracer ?? api.trace.getTracer('rx-bedrock'), maxOpen);
      return events$.pipe(
        tap((event) => tracker.record(event)),
        ignoreElements(),
        finalize(() => tracker.endAll()),
      );
    }),
  );
}
