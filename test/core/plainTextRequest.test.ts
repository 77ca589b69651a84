import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isRight } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../../src/core/codecs.js';
import { isPlainTextRequest } from '../../src/core/plainTextRequest.js';
import { decodeRequest, RequestObjectCodec } from '../../src/core/request.js';

const text = fc.string({ maxLength: 8 });
const role = fc.constantFrom('user', 'assistant', 'system', '');
const block = fc.oneof(
  fc.record({ text }),
  fc.record({ text: fc.oneof(text, fc.integer()) }),
  fc.record({ text, extra: text }),
  fc.record({ image: fc.constant({ format: 'png', source: { bytes: 'iVBORw==' } }) }),
  fc.constant(null),
  fc.constant([]),
);
const message = fc.oneof(
  fc.record({ role, content: fc.array(block, { maxLength: 3 }) }),
  fc.record({ role, content: fc.array(block, { maxLength: 3 }), name: text }),
  fc.record({ role }),
  fc.anything(),
);
/** Text requests, which the fast path should take. */
const plainText = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 8 }),
    messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant'), content: fc.array(fc.record({ text }), { maxLength: 3 }) }), { maxLength: 3 }),
    prompt: text,
    system: text,
    task: text,
  },
  { requiredKeys: [] },
);
/** Request-like objects, valid and not: right keys with wrong values, extra keys, holes. */
const requestLike = fc.oneof(
  plainText,
  fc.record(
    {
      id: fc.oneof(text, fc.integer()),
      messages: fc.oneof(fc.array(message, { maxLength: 3 }), fc.anything()),
      prompt: fc.oneof(text, fc.constant(undefined)),
      system: fc.oneof(text, fc.boolean()),
      task: text,
      inferenceConfig: fc.record({ maxTokens: fc.integer({ min: -1, max: 10 }) }),
      metadata: fc.dictionary(text, text),
      other: text,
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);

describe('isPlainTextRequest', () => {
  it('is true only for objects the request codec accepts and hands back unchanged', () => {
    fc.assert(
      fc.property(requestLike, (input) => {
        if (typeof input !== 'object' || input === null || !isPlainTextRequest(input)) return;
        const decoded = decodeWith(RequestObjectCodec, input);
        expect(isRight(decoded) && decoded.right).toBe(input);
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes every text request', () => {
    fc.assert(fc.property(plainText, (input) => isPlainTextRequest(input)));
  });

  it('takes the common text request, and leaves everything else to the codec', () => {
    expect(isPlainTextRequest({ id: 'r1', messages: [{ role: 'user', content: [{ text: 'hi' }] }], system: 's', task: 't' })).toBe(true);
    expect(isPlainTextRequest({ prompt: 'hi' })).toBe(true);
    expect(isPlainTextRequest({ prompt: 'hi', inferenceConfig: { maxTokens: 5 } })).toBe(false);
    expect(isPlainTextRequest({ id: '', prompt: 'hi' })).toBe(false);
    expect(isPlainTextRequest({ messages: [{ role: 'user', content: [{ text: 'a', image: {} }] }] })).toBe(false);
    expect(isPlainTextRequest([])).toBe(false);
    const hidden = Object.defineProperty({ id: 'r1' }, 'messages', { value: [{ role: 'user', content: [{ image: {} }] }], enumerable: false });
    expect(isPlainTextRequest(hidden)).toBe(false);
    expect(isPlainTextRequest(new (class Request { prompt = 'hi'; })())).toBe(false);
  });

  it('leaves decodeRequest answering the same as before, errors included', () => {
    fc.assert(
      fc.property(requestLike, (input) => {
        if (typeof input === 'string') return; // a prompt: decodeRequest wraps it before the codec
        const fast = decodeRequest(input);
        const slow = decodeWith(RequestObjectCodec, input);
        if (!isRight(slow)) expect(isRight(fast)).toBe(false);
        if (isRight(fast) && typeof input === 'object' && input !== null && 'id' in input) expect(fast.right.id).toBe((input as { id: unknown }).id);
      }),
      { numRuns: 1_000 },
    );
  });
});
