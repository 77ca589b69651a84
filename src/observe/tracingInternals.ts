import type { RuntimeEvent } from '../core/events.js';
import type { Usage } from '../core/response.js';

/** An attribute value, as OpenTelemetry accepts it. */
export type AttributeValueLike = string | number | boolean;

/** The part of an OpenTelemetry `Span` used here (a real `Span` fits). */
export interface SpanLike {
  setAttribute(key: string, value: AttributeValueLike): unknown;
  addEvent(name: string, attributes?: Record<string, AttributeValueLike>, time?: number): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(endTime?: number): unknown;
}

/** The part of an OpenTelemetry `Tracer` used here (a real `Tracer` fits). */
export interface TracerLike {
  startSpan(name: string, options?: { kind?: number; startTime?: number; attributes?: Record<string, AttributeValueLike> }, context?: unknown): SpanLike;
}

/** The part of `@opentelemetry/api` used here: a tracer by name, and a context holding a parent span. */
export interface OtelApiLike {
  readonly trace: { getTracer(name: string, version?: string): TracerLike; setSpan(context: unknown, span: SpanLike): unknown };
  readonly context: { active(): unknown };
}

const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

interface OpenRequest {
  readonly span: SpanLike | undefined;
  readonly attempts: Map<string, SpanLike[]>;
}

const BASE = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'aws.bedrock' } as const;

function setUsage(span: SpanLike, usage: Usage | undefined, costUsd: number | undefined): void {
  if (usage !== undefined) {
    span.setAttribute('gen_ai.usage.input_tokens', usage.inputTokens);
    span.setAttribute('gen_ai.usage.output_tokens', usage.outputTokens);
  }
  if (costUsd !== undefined) span.setAttribute('rx_bedrock.cost_usd', costUsd);
}

function primitives(event: RuntimeEvent): Record<string, AttributeValueLike> {
  const attributes: Record<string, AttributeValueLike> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type' || key === 'time' || key === 'requestId') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[`rx_bedrock.${key}`] = value;
  }
  return attributes;
}

/** Turns events into spans; holds at most `maxOpen` requests' spans, ending the oldest past it. */
export function createSpanTracker(api: OtelApiLike, tracer: TracerLike, maxOpen: number): { record(event: RuntimeEvent): void; endAll(): void } {
  const open = new Map<string, OpenRequest>();
  let lastTime = 0;

  const endRequest = (requestId: string, entry: OpenRequest, time: number, reason: string): void => {
    for (const spans of entry.attempts.values()) {
      for (const span of spans) {
        span.setAttribute('error.type', 'cancelled');
        span.setAttribute('rx_bedrock.ended_by', reason);
        span.end(time);
      }
    }
    if (entry.span !== undefined && reason !== 'request-completed') {
      entry.span.setAttribute('rx_bedrock.ended_by', reason);
      entry.span.end(time);
    }
    open.delete(requestId);
  };

  const entryOf = (requestId: string, span?: SpanLike): OpenRequest => {
    const entry = { span, attempts: new Map<string, SpanLike[]>() };
    open.set(requestId, entry);
    if (open.size > maxOpen) {
      const [oldestId, oldest] = open.entries().next().value as [string, OpenRequest];
      endRequest(oldestId, oldest, lastTime, 'evicted');
    }
    return entry;
  };

  const takeAttempt = (requestId: string, modelId: string): SpanLike | undefined => {
    const entry = open.get(requestId);
    const span = entry?.attempts.get(modelId)?.shift();
    if (entry !== undefined && entry.span === undefined && [...entry.attempts.values()].every((spans) => spans.length === 0)) open.delete(requestId);
    return span;
  };

  const record = (event: RuntimeEvent): void => {
    lastTime = event.time;
    switch (event.type) {
      case 'request-started': {
        const previous = open.get(event.requestId);
        if (previous !== undefined) endRequest(event.requestId, previous, event.time, 'restarted');
        const attributes = { ...BASE, 'rx_bedrock.request_id': event.requestId, ...(event.strategy !== undefined ? { 'rx_bedrock.strategy': event.strategy } : {}) };
        entryOf(event.requestId, tracer.startSpan(event.strategy !== undefined ? `chat ${event.strategy}` : 'chat', { kind: SPAN_KIND_INTERNAL, startTime: event.time, attributes }));
        return;
      }
      case 'attempt-started': {
        const entry = open.get(event.requestId) ?? entryOf(event.requestId);
        const parent = entry.span === undefined ? undefined : api.trace.setSpan(api.context.active(), entry.span);
        const attributes = { ...BASE, 'gen_ai.request.model': event.modelId, 'rx_bedrock.request_id': event.requestId, 'rx_bedrock.api': event.api };
        const span = tracer.startSpan(`chat ${event.modelId}`, { kind: SPAN_KIND_CLIENT, startTime: event.time, attributes }, parent);
        entry.attempts.set(event.modelId, [...(entry.attempts.get(event.modelId) ?? []), span]);
        return;
      }
      case 'attempt-succeeded': {
        const span = takeAttempt(event.requestId, event.modelId);
        if (span === undefined) return;
        span.setAttribute('gen_ai.response.model', event.modelId);
        setUsage(span, event.usage, event.costUsd);
        span.end(event.time);
        return;
      }
      case 'attempt-failed':
      case 'attempt-cancelled': {
        const span = takeAttempt(event.requestId, event.modelId);
        if (span === undefined) return;
        if (event.type === 'attempt-failed') {
          span.setAttribute('error.type', event.errorKind);
          span.setStatus({ code: STATUS_ERROR, message: event.message });
        } else span.setAttribute('error.type', 'cancelled');
        span.end(event.time);
        return;
      }
      case 'request-completed': {
        const entry = open.get(event.requestId);
        if (entry?.span === undefined) return;
        const { span } = entry;
        if (event.modelId !== undefined) span.setAttribute('gen_ai.response.model', event.modelId);
        setUsage(span, event.usage, event.costUsd);
        if (!event.ok) {
          span.setAttribute('error.type', event.errorKind ?? 'model-error');
          if (event.errorKind !== 'cancelled') span.setStatus({ code: STATUS_ERROR, message: event.errorKind ?? 'model-error' });
        }
        span.end(event.time);
        endRequest(event.requestId, entry, event.time, 'request-completed');
        return;
      }
      default:
        open.get(event.requestId)?.span?.addEvent(event.type, primitives(event), event.time);
    }
  };

  return {
    record,
    endAll: () => {
      for (const [requestId, entry] of [...open]) endRequest(requestId, entry, lastTime, 'events-ended');
    },
  };
}
