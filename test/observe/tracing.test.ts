import { describe, expect, it } from 'vitest';
import { lastValueFrom, map, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import * as api from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RuntimeEvent } from '../../src/core/index.js';
import { traceEvents } from '../../src/observe/index.js';
import { eventsAt } from './events.js';

function sdk(): { exporter: InMemorySpanExporter; tracer: api.Tracer } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer('test') };
}

/** Event times are epoch milliseconds (OpenTelemetry reads small numbers as performance.now() offsets). */
const EPOCH = 1_700_000_000_000;
const at = (ms: number): [number, number] => [EPOCH / 1000, ms * 1_000_000];
const byName = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((s) => s.name === name);

describe('traceEvents', () => {
  it('makes one span per request and a child span per attempt, with GenAI attributes and scheduler times', () => {
    const { exporter, tracer } = sdk();
    new TestScheduler((a, e) => expect(a).toEqual(e)).run(() => {
      const events = eventsAt([
        [1, { type: 'request-started', requestId: 'r1', strategy: 'fallback' }],
        [1, { type: 'attempt-started', requestId: 'r1', modelId: 'nova', api: 'converse' }],
        [4, { type: 'attempt-failed', requestId: 'r1', modelId: 'nova', latencyMs: 3, errorKind: 'throttled', message: 'slow down' }],
        [4, { type: 'fallback', requestId: 'r1', from: 'nova', to: 'claude', reason: 'throttled' }],
        [4, { type: 'attempt-started', requestId: 'r1', modelId: 'claude', api: 'converse' }],
        [9, { type: 'attempt-succeeded', requestId: 'r1', modelId: 'claude', latencyMs: 5, usage: { inputTokens: 11, outputTokens: 22 }, costUsd: 0.5 }],
        [9, { type: 'request-completed', requestId: 'r1', strategy: 'fallback', ok: true, modelId: 'claude', latencyMs: 8, usage: { inputTokens: 11, outputTokens: 22 }, costUsd: 0.5 }],
      ]);
      traceEvents(events.pipe(map((e) => ({ ...e, time: EPOCH + e.time }))), { tracer, api }).subscribe();
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['chat nova', 'chat claude', 'chat fallback']);
    const [request] = byName(spans, 'chat fallback');
    const [failed] = byName(spans, 'chat nova');
    const [ok] = byName(spans, 'chat claude');
    expect(request!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.bedrock',
      'rx_bedrock.request_id': 'r1',
      'rx_bedrock.strategy': 'fallback',
      'gen_ai.response.model': 'claude',
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.usage.output_tokens': 22,
      'rx_bedrock.cost_usd': 0.5,
    });
    expect(request!.kind).toBe(api.SpanKind.INTERNAL);
    expect(request!.parentSpanContext).toBeUndefined();
    expect([request!.startTime, request!.endTime]).toEqual([at(1), at(9)]);
    expect(request!.events.map((e) => [e.name, e.attributes, e.time])).toEqual([
      ['fallback', { 'rx_bedrock.from': 'nova', 'rx_bedrock.to': 'claude', 'rx_bedrock.reason': 'throttled' }, at(4)],
    ]);
    for (const attempt of [failed!, ok!]) {
      expect(attempt.kind).toBe(api.SpanKind.CLIENT);
      expect(attempt.parentSpanContext?.spanId).toBe(request!.spanContext().spanId);
      expect(attempt.spanContext().traceId).toBe(request!.spanContext().traceId);
    }
    expect(failed!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': 'nova',
      'rx_bedrock.request_id': 'r1',
      'rx_bedrock.api': 'converse',
      'error.type': 'throttled',
    });
    expect(failed!.status).toEqual({ code: api.SpanStatusCode.ERROR, message: 'slow down' });
    expect([failed!.startTime, failed!.endTime, ok!.startTime, ok!.endTime]).toEqual([at(1), at(4), at(4), at(9)]);
    expect(ok!.attributes).toMatchObject({ 'gen_ai.request.model': 'claude', 'gen_ai.response.model': 'claude', 'gen_ai.usage.input_tokens': 11, 'gen_ai.usage.output_tokens': 22 });
    expect(ok!.status.code).toBe(api.SpanStatusCode.UNSET);
  });

  it('marks failed and cancelled requests, and ends attempts left open when their request completes', () => {
    const { exporter, tracer } = sdk();
    const events$ = new Subject<RuntimeEvent>();
    traceEvents(events$, { tracer, api }).subscribe();
    events$.next({ type: 'request-started', time: 0, requestId: 'a' });
    events$.next({ type: 'request-completed', time: 2, requestId: 'a', ok: false, errorKind: 'all-failed', latencyMs: 2 });
    events$.next({ type: 'request-started', time: 3, requestId: 'b' });
    events$.next({ type: 'attempt-started', time: 3, requestId: 'b', modelId: 'slow', api: 'converse' });
    events$.next({ type: 'request-completed', time: 9, requestId: 'b', ok: false, errorKind: 'cancelled', latencyMs: 6 });
    const spans = exporter.getFinishedSpans().map((s) => [s.name, s.attributes['rx_bedrock.request_id'], s.attributes['error.type'], s.status.code]);
    expect(spans).toEqual([
      ['chat', 'a', 'all-failed', api.SpanStatusCode.ERROR],
      ['chat', 'b', 'cancelled', api.SpanStatusCode.UNSET],
      ['chat slow', 'b', 'cancelled', api.SpanStatusCode.UNSET],
    ]);
  });

  it('keeps at most maxOpenRequests requests open, ending the oldest, and ends the rest when events end', () => {
    const { exporter, tracer } = sdk();
    const events$ = new Subject<RuntimeEvent>();
    traceEvents(events$, { tracer, api, maxOpenRequests: 2 }).subscribe();
    for (const [i, id] of ['a', 'b', 'c'].entries()) events$.next({ type: 'request-started', time: i, requestId: id });
    expect(exporter.getFinishedSpans().map((s) => [s.attributes['rx_bedrock.request_id'], s.attributes['rx_bedrock.ended_by']])).toEqual([['a', 'evicted']]);
    events$.complete();
    expect(exporter.getFinishedSpans().map((s) => [s.attributes['rx_bedrock.request_id'], s.attributes['rx_bedrock.ended_by']])).toEqual([
      ['a', 'evicted'],
      ['b', 'events-ended'],
      ['c', 'events-ended'],
    ]);
  });

  it('imports @opentelemetry/api itself when not given one, and completes with the events', async () => {
    const { exporter, tracer } = sdk();
    const events$ = new Subject<RuntimeEvent>();
    const done = lastValueFrom(traceEvents(events$, { tracer }), { defaultValue: 'completed' });
    await new Promise((resolve) => setImmediate(resolve));
    events$.next({ type: 'request-started', time: 1, requestId: 'late' });
    events$.next({ type: 'request-completed', time: 2, requestId: 'late', ok: true, latencyMs: 1 });
    events$.complete();
    expect(await done).toBe('completed');
    expect(exporter.getFinishedSpans().map((s) => s.attributes['rx_bedrock.request_id'])).toEqual(['late']);
  });

  it('checks options when created', () => {
    expect(() => traceEvents(new Subject<RuntimeEvent>(), { maxOpenRequests: 0 })).toThrow(/maxOpenRequests/);
    expect(() => traceEvents(new Subject<RuntimeEvent>(), { tracer: {} as never })).toThrow(/tracer/);
  });
});
