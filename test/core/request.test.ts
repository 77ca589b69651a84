import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { decodeRequest, estimateInputTokens, hasImage, lastUserText, toRequest } from '../../src/core/request.js';
import { isModelError, ModelError } from '../../src/core/errors.js';

function details(input: unknown): readonly string[] {
  const decoded = decodeRequest(input);
  if (!isLeft(decoded)) throw new Error('expected a validation error');
  expect(decoded.left.kind).toBe('validation');
  return decoded.left.details ?? [];
}

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64');

describe('decodeRequest', () => {
  it('accepts a bare prompt as a one-message request with a generated id', () => {
    const r = toRequest('Hello');
    expect(r.messages).toEqual([{ role: 'user', content: [{ text: 'Hello' }] }]);
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a given id and every optional field', () => {
    const r = toRequest({ id: 'r1', prompt: 'x', system: 's', task: 'code', metadata: { tier: 'gold' }, inferenceConfig: { maxTokens: 5, temperature: 0.2, topP: 0.9, stopSequences: ['\n'] } });
    expect(r).toEqual({ id: 'r1', messages: [{ role: 'user', content: [{ text: 'x' }] }], system: 's', task: 'code', metadata: { tier: 'gold' }, inferenceConfig: { maxTokens: 5, temperature: 0.2, topP: 0.9, stopSequences: ['\n'] } });
  });

  it('decodes base64 image bytes into a Uint8Array', () => {
    const r = toRequest({ messages: [{ role: 'user', content: [{ text: 'what is this' }, { image: { format: 'png', source: { bytes: png } } }] }] });
    const block = r.messages[0]!.content[1]!;
    expect('image' in block && block.image.source.bytes).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect(hasImage(r)).toBe(true);
  });

  it('names the failing field by path', () => {
    expect(details({ messages: [{ role: 'user', content: [{ text: 'a' }, { image: { format: 'bmp', source: { bytes: png } } }] }] })).toEqual([
      'messages[0].content[1].image.format: expected "png" | "jpeg" | "gif" | "webp", got "bmp"',
    ]);
    expect(details({ prompt: 'x', inferenceConfig: { maxTokens: 'three' } })).toEqual([
      'inferenceConfig.maxTokens: expected an integer in [1, 1000000], got "three"',
    ]);
    expect(details({ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: '***' } } }] }] })).toEqual([
      'messages[0].content[0].image.source.bytes: expected bytes (Uint8Array or base64), got "***"',
    ]);
  });

  it('reports unknown keys instead of ignoring them', () => {
    expect(details({ prompt: 'x', mesages: [] })[0]).toMatch(/^mesages: unknown key "mesages"/);
  });

  it('refuses empty conversations, an assistant first turn, prompt plus messages, and non-objects', () => {
    expect(details({})).toEqual(['messages: expected at least one message, got nothing']);
    expect(details({ messages: [{ role: 'assistant', content: [{ text: 'a' }] }] })[0]).toMatch(/^messages\[0\]\.role/);
    expect(details({ messages: [{ role: 'user', content: [] }] })[0]).toMatch(/^messages\[0\]\.content/);
    expect(details({ prompt: 'a', messages: [{ role: 'user', content: [{ text: 'a' }] }] })[0]).toMatch(/^prompt:/);
    expect(details(null)).toEqual(['(root): expected a request']);
  });

  it('enforces size limits with a message naming the limit', () => {
    const limits = { maxTextChars: 10, maxMessages: 2, maxBytes: 3 };
    expect(isLeft(decodeRequest('01234567890', limits))).toBe(true);
    const decoded = decodeRequest({ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: png } } }] }] }, limits);
    expect(isLeft(decoded) && decoded.left.details).toEqual(['messages: at most 3 bytes of images and documents, got 4']);
  });

  it('decodes a decoded request to an equal one, checking it again (limits included)', () => {
    const request = toRequest({ prompt: '0123456789', inferenceConfig: { maxTokens: 5 } });
    const again = decodeRequest(request);
    expect(isRight(again) && again.right).toEqual(request);
    expect(isLeft(decodeRequest(request, { maxTextChars: 5, maxMessages: 10, maxBytes: 10 }))).toBe(true);
    const changed = { ...request, messages: [{ role: 'assistant', content: [{ text: 'x' }] }] };
    expect(isLeft(decodeRequest(changed))).toBe(true);
  });

  it('toRequest throws the typed error', () => {
    expect(() => toRequest(42)).toThrow(ModelError);
  });

  it('never throws on arbitrary input: a request or a validation error with details', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withNullPrototype: true, withBigInt: true }), (input) => {
        const decoded = decodeRequest(input);
        if (isLeft(decoded)) {
          expect(isModelError(decoded.left, 'validation')).toBe(true);
          expect(decoded.left.details!.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 1), content: fc.array(fc.oneof(fc.record({ text: fc.string() }), fc.record({ image: fc.record({ format: fc.string(), source: fc.record({ bytes: fc.string() }) }) }))) }),
        (message) => {
          const decoded = decodeRequest({ messages: [message] });
          expect(isRight(decoded) || decoded.left.details!.every((line) => /^messages\[0\]/.test(line))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('helpers read the text and estimate tokens', () => {
    const r = toRequest({ messages: [{ role: 'user', content: [{ text: 'abcd' }] }, { role: 'assistant', content: [{ text: 'x' }] }, { role: 'user', content: [{ text: 'efgh' }] }] });
    expect(lastUserText(r)).toBe('efgh');
    expect(estimateInputTokens(r)).toBe(3);
  });
});
