import { mergeMap, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { collect } from '../../src/bedrock/collect.js';
import { ModelError } from '../../src/core/errors.js';
import { toRequest, type InferenceRequest } from '../../src/core/request.js';
import type { InferenceResponse } from '../../src/core/response.js';
import type { StreamEvent, StreamingModel } from '../../src/core/stream.js';

const response = (requestId: string, text: string): InferenceResponse => ({
  requestId,
  modelId: 'm',
  text,
  message: { role: 'assistant', content: [{ text }] },
  stopReason: 'end_turn',
  usage: { inputTokens: 1, outputTokens: 1 },
  latencyMs: 0,
  attempts: [{ modelId: 'm', outcome: 'success', latencyMs: 0 }],
});
const a = toRequest({ id: 'a', prompt: 'x' });
const b = toRequest({ id: 'b', prompt: 'y' });

function scripted(streams: Record<string, Observable<StreamEvent>>): StreamingModel {
  return (source) => source.pipe(mergeMap((request: InferenceRequest) => streams[request.id]!));
}

describe('collect', () => {
  it('drops deltas and answers with the completed response, per request and concurrently', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const delta = (id: string): StreamEvent => ({ type: 'delta', requestId: id, modelId: 'm', text: '.' });
      const streamA = cold<StreamEvent>('-d-d---c|', { d: delta('a'), c: { type: 'completed', response: response('a', 'A') } });
      const streamB = cold<StreamEvent>('-d-c|', { d: delta('b'), c: { type: 'completed', response: response('b', 'B') } });
      const requests = hot<InferenceRequest>('-a-b-----|', { a, b });
      expectObservable(requests.pipe(collect(scripted({ a: streamA, b: streamB })))).toBe('------B-A|', { A: response('a', 'A'), B: response('b', 'B') });
      expectSubscriptions(streamA.subscriptions).toBe('-^-------!');
      expectSubscriptions(streamB.subscriptions).toBe('---^---!');
    });
  });

  it('errors with the stream error, and with invalid-output for a stream without completed', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const boom = new ModelError('throttled', 'slow');
      const requests = cold<InferenceRequest>('a|', { a });
      expectObservable(requests.pipe(collect(scripted({ a: cold<StreamEvent>('--#', {}, boom) })))).toBe('--#', {}, boom);
      expectObservable(requests.pipe(collect(scripted({ a: cold<StreamEvent>('--|') })))).toBe('--#', {}, expect.objectContaining({ kind: 'invalid-output', requestId: 'a' }));
    });
  });

  it('unsubscribes the stream (cancelling it) when the consumer leaves', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<StreamEvent>('-----c|', { c: { type: 'completed', response: response('a', 'A') } });
      expectObservable(cold<InferenceRequest>('a|', { a }).pipe(collect(scripted({ a: stream }))), '--!').toBe('--');
      expectSubscriptions(stream.subscriptions).toBe('^-!');
    });
  });
});
