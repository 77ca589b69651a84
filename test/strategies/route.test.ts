import { describe, expect, it } from 'vitest';
import { EMPTY, of } from 'rxjs';
import { ModelError } from '../../src/core/errors.js';
import { invoke } from '../../src/core/model.js';
import { toRequest, type InferenceRequest } from '../../src/core/request.js';
import { route } from '../../src/strategies/route.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';

const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));
const png = new Uint8Array([137, 80, 78, 71]);
const withImage = toRequest({ id: 'img', messages: [{ role: 'user', content: [{ text: 'what is this?' }, { image: { format: 'png', source: { bytes: png } } }] }] });
const long = toRequest({ id: 'long', prompt: 'x'.repeat(400) }); // ~100 tokens

function answerOf(model: ReturnType<typeof route>, request: InferenceRequest): unknown {
  let value: unknown;
  invoke(model, request).subscribe({ next: (r) => (value = r.modelId), error: (e) => (value = e) });
  return value;
}

describe('route', () => {
  const code = scriptedModel('code-model', [{ reply: 'fn' }]);
  const general = scriptedModel('general-model', [{ reply: 'hi' }]);

  it('sends each request to the route its classifier names, unknown names to the default', () => {
    const m = route({ classify: (r) => (r.task === 'code' ? 'code' : r.task), routes: { code, general }, default: 'general' });
    expect(answerOf(m, toRequest({ prompt: 'x', task: 'code' }))).toBe('code-model');
    expect(answerOf(m, toRequest({ prompt: 'x', task: 'poetry' }))).toBe('general-model');
    expect(answerOf(m, toRequest({ prompt: 'x' }))).toBe('general-model');
  });

  it('waits for an asynchronous classification in virtual time', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const slow = scriptedModel('code-model', [{ after: 2, reply: 'fn' }]);
      const m = route({ classify: () => cold('---c', { c: 'code' }), routes: { code: slow, general }, default: 'general' });
      expectObservable(invoke(m, toRequest({ id: 'r', prompt: 'x' }))).toBe('-----(r|)', { r: expect.objectContaining({ modelId: 'code-model' }) });
    });
  });

  it('takes the default when the classifier completes without a name, and fails with a ModelError when it throws', () => {
    const m = route({ classify: () => EMPTY, routes: { code, general }, default: 'general' });
    expect(answerOf(m, toRequest('x'))).toBe('general-model');
    const broken = route({ classify: () => { throw new Error('boom'); }, routes: { code }, default: 'code' });
    expect(answerOf(broken, toRequest('x'))).toMatchObject({ kind: 'model-error', message: 'boom', source: 'route: classify' });
  });

  it('accepts a Promise from the classifier', async () => {
    const m = route({ classify: async () => 'code', routes: { code: scriptedModel('c', [{ reply: 'c' }]), general }, default: 'general' });
    const modelId = await new Promise((resolve) => invoke(m, toRequest('x')).subscribe((r) => resolve(r.modelId)));
    expect(modelId).toBe('c');
  });

  it('with capabilities, never sends an image to a text-only route', () => {
    const m = route({
      classify: () => 'text',
      routes: { text: { model: scriptedModel('text', [{ reply: 't' }]), supportsImages: false }, vision: { model: scriptedModel('vision', [{ reply: 'v' }]), supportsImages: true } },
      default: 'text',
      capabilities: true,
    });
    expect(answerOf(m, withImage)).toBe('vision');
    expect(answerOf(m, toRequest('plain'))).toBe('text');
  });

  it('takes capabilities from the catalog by model id', () => {
    const m = route({
      classify: () => 'micro',
      routes: { micro: scriptedModel('amazon.nova-micro-v1:0', [{ reply: 'm' }]), lite: scriptedModel('us.amazon.nova-lite-v1:0', [{ reply: 'l' }]) },
      default: 'micro',
      capabilities: true,
    });
    expect(answerOf(m, withImage)).toBe('us.amazon.nova-lite-v1:0');
  });

  it('skips a route whose context window is too small to the next capable one, in declaration order', () => {
    const m = route({
      classify: () => 'small',
      routes: {
        big: { model: scriptedModel('big', [{ reply: 'b' }]), contextWindow: 1_000 },
        small: { model: scriptedModel('small', [{ reply: 's' }]), contextWindow: 50 },
        medium: { model: scriptedModel('medium', [{ reply: 'm' }]), contextWindow: 200 },
      },
      default: 'small',
      capabilities: true,
    });
    expect(answerOf(m, long)).toBe('big');
    expect(answerOf(m, toRequest('short'))).toBe('small');
  });

  it('fails with validation saying why when no route can take the request', () => {
    const m = route({
      classify: () => 'a',
      routes: { a: { model: general, supportsImages: false }, b: { model: code, supportsImages: false, contextWindow: 10 } },
      default: 'a',
      capabilities: true,
    });
    const error = answerOf(m, withImage) as ModelError;
    expect(error).toMatchObject({ kind: 'validation', requestId: 'img' });
    expect(error.details).toEqual(['a: text only, the request has an image', 'b: text only, the request has an image']);
    const tooLong = answerOf(route({ classify: () => 'b', routes: { b: { model: code, contextWindow: 10 } }, default: 'b', capabilities: true }), long) as ModelError;
    expect(tooLong.details).toEqual(['b: ~100 tokens exceed its context window of 10']);
  });

  it('ignores capabilities unless asked', () => {
    const m = route({ classify: () => 'a', routes: { a: { model: general, supportsImages: false } }, default: 'a' });
    expect(answerOf(m, withImage)).toBe('general-model');
  });

  it('propagates the routed model error, emits nothing for no requests, and unsubscribes the routed model', () => {
    const failing = scriptedModel('f', [{ after: 1, error: 'throttled' }]);
    const hanging = scriptedModel('h', [{ hang: true }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(route({ classify: () => 'f', routes: { f: failing }, default: 'f' }), toRequest('x'))).toBe('-#', undefined, new ModelError('throttled', ''));
      expectObservable(EMPTY.pipe(route({ classify: () => 'f', routes: { f: failing }, default: 'f' }))).toBe('|');
      expectObservable(of(toRequest('x')).pipe(route({ classify: () => 'h', routes: { h: hanging }, default: 'h' })), '^--!').toBe('-');
    });
    expect(hanging.calls[0]).toMatchObject({ end: 'unsubscribed', endedAt: 3 });
  });

  it('checks its options when created', () => {
    expect(() => route({ classify: 1 as never, routes: { a: general }, default: 'a' })).toThrow(/route: classify/);
    expect(() => route({ classify: () => 'a', routes: {}, default: 'a' })).toThrow(/route: routes/);
    expect(() => route({ classify: () => 'a', routes: { a: general }, default: 'b' })).toThrow(/route: default must be one of a/);
    expect(() => route({ classify: () => 'a', routes: { a: { model: general, contextWindow: 0 } }, default: 'a' })).toThrow(/routes\.a\.contextWindow/);
    expect(() => route({ classify: () => 'a', routes: { a: {} as never }, default: 'a' })).toThrow(/routes\.a must be/);
  });
});
