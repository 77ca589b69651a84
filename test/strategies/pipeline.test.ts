import { describe, expect, it } from 'vitest';
import * as t from 'io-ts';
import { EMPTY } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { invoke } from '../../src/core/model.js';
import { requestText, toRequest } from '../../src/core/request.js';
import { pipeline } from '../../src/strategies/pipeline.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';

const req = toRequest({ id: 'r1', system: 'be terse', prompt: 'Invoice: 3 apples at 2 EUR' });
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const Invoice = t.type({ item: t.string, qty: t.number }, 'Invoice');

describe('pipeline', () => {
  it('runs steps in order, feeding each answer to the next, and keeps every step in parts', () => {
    const a = scriptedModel('a', [{ after: 2, reply: 'draft', usage: { inputTokens: 5, outputTokens: 1 }, costUsd: 0.1 }]);
    const b = scriptedModel('b', [{ after: 3, reply: 'final', usage: { inputTokens: 2, outputTokens: 1 }, costUsd: 0.2 }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(pipeline([a, { model: b, name: 'polish' }]), req)).toBe('-----(r|)', {
        r: expect.objectContaining({
          modelId: 'pipeline', requestId: 'r1', text: 'final', latencyMs: 5, usage: { inputTokens: 7, outputTokens: 2 }, costUsd: expect.closeTo(0.3, 10),
          parts: [expect.objectContaining({ modelId: 'a', text: 'draft' }), expect.objectContaining({ modelId: 'b', text: 'final' })],
          attempts: [{ modelId: 'a', outcome: 'success', latencyMs: 2 }, { modelId: 'b', outcome: 'success', latencyMs: 3 }],
          details: { steps: ['a', 'polish'] },
        }),
      });
    });
    expect(a.calls[0]!.request).toEqual(req);
    expect(b.calls[0]).toMatchObject({ subscribedAt: 2, request: { id: 'r1', messages: [{ role: 'user', content: [{ text: 'draft' }] }] } });
    expect(b.calls[0]!.request.system).toBeUndefined();
  });

  it('builds requests with prepare and decodes a step with its codec', () => {
    const extract = scriptedModel('extract', [{ reply: '{"item":"apple","qty":3}' }]);
    const write = scriptedModel('write', [{ reply: 'You bought 3 apples.' }]);
    let text = '';
    invoke(
      pipeline([
        { model: extract, decode: Invoice, prepare: (_p, original) => ({ prompt: `JSON of: ${requestText(original)}` }) },
        { model: write, prepare: (previous) => `Describe ${JSON.stringify(previous!.details!['decoded'])}` },
      ]),
      req,
    ).subscribe((r) => (text = r.text));
    expect(text).toBe('You bought 3 apples.');
    expect(extract.calls[0]!.request).toMatchObject({ id: 'r1', messages: [{ content: [{ text: 'JSON of: Invoice: 3 apples at 2 EUR' }] }] });
    expect(requestText(write.calls[0]!.request)).toBe('Describe {"item":"apple","qty":3}');
  });

  it('fails with invalid-output and the path report when a step answers off-schema, with the attempts so far', () => {
    const a = scriptedModel('a', [{ after: 1, reply: 'notes' }]);
    const b = scriptedModel('b', [{ after: 1, reply: '{"item":"apple","qty":"three"}' }]);
    const c = scriptedModel('c', [{ reply: 'never' }]);
    let error: ModelError | undefined;
    scheduler().run(({ expectObservable }) => {
      const p = pipeline([a, { model: b, decode: Invoice, name: 'extract' }, c]);
      expectObservable(invoke(p, req)).toBe('--#', undefined, new ModelError('invalid-output', ''));
      invoke(p, req).subscribe({ error: (e: ModelError) => (error = e) });
    });
    expect(error).toMatchObject({ kind: 'invalid-output', details: ['qty: expected number, got "three"'] });
    expect(error!.attempts).toEqual([{ modelId: 'a', outcome: 'success', latencyMs: 1 }, { modelId: 'b', outcome: 'failure', errorKind: 'invalid-output', latencyMs: 1 }]);
    expect(c.calls).toHaveLength(0);
  });

  it('rethrows a first-step error as is, and a bad prepared request as validation', () => {
    const bad = scriptedModel('bad', [{ error: 'throttled' }]);
    let error: unknown;
    invoke(pipeline([bad]), req).subscribe({ error: (e) => (error = e) });
    expect(error).toMatchObject({ kind: 'throttled', modelId: 'bad' });
    const ok = scriptedModel('ok', [{ reply: 'x' }]);
    invoke(pipeline([ok, { model: ok, prepare: () => ({ messages: [] }) }]), req).subscribe({ error: (e) => (error = e) });
    expect(error).toMatchObject({ kind: 'validation' });
  });

  it('emits nothing for no requests and unsubscribes the running step when the caller leaves', () => {
    const a = scriptedModel('a', [{ after: 1, reply: 'x' }]);
    const b = scriptedModel('b', [{ hang: true }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(EMPTY.pipe(pipeline([a]))).toBe('|');
      expectObservable(invoke(pipeline([a, b]), req), '^---!').toBe('-');
    });
    expect(b.calls[0]).toMatchObject({ subscribedAt: 1, endedAt: 4, end: 'unsubscribed' });
  });

  it('checks its options when created', () => {
    expect(() => pipeline([])).toThrow(/pipeline: steps/);
    expect(() => pipeline([{ model: 1 as never }])).toThrow(/steps\[0\]\.model/);
    expect(() => pipeline([{ model: scriptedModel('m', [{}]), prepare: 'x' as never }])).toThrow(/steps\[0\]\.prepare/);
  });
});
