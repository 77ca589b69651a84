import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { expect } from 'vitest';
import type { DecodedChunk, FamilyCodec } from '../../../src/bedrock/families/familyCodec.js';
import { toRequest, type InferenceRequest } from '../../../src/core/request.js';

/** A two-turn conversation with a follow-up question. */
export const conversation: InferenceRequest = toRequest({
  id: 'req-1',
  messages: [
    { role: 'user', content: [{ text: 'Hi' }] },
    { role: 'assistant', content: [{ text: 'Hello!' }] },
    { role: 'user', content: [{ text: 'What is 2+2?' }] },
  ],
});

export const withImage: InferenceRequest = toRequest({
  id: 'req-2',
  messages: [{ role: 'user', content: [{ text: 'Describe' }, { image: { format: 'png', source: { bytes: new Uint8Array([1, 2, 3]) } } }] }],
});

export function right<A>(value: Either<string[], A>): A {
  if (isLeft(value)) throw new Error(`expected Right, got ${value.left.join('; ')}`);
  return value.right;
}

export function leftLines<A>(value: Either<string[], A>): string[] {
  expect(isRight(value)).toBe(false);
  return isLeft(value) ? value.left : [];
}

/** Decodes a stream's chunks and folds them like the streaming operator does. */
export function fold(codec: FamilyCodec, chunks: readonly unknown[]): { text: string; stopReason?: string; usage: Partial<Record<string, number>>; deltas: string[] } {
  const out = { text: '', usage: {} as Partial<Record<string, number>>, deltas: [] as string[] } as ReturnType<typeof fold>;
  for (const json of chunks) {
    const chunk: DecodedChunk = right(codec.decodeChunk(json));
    if (chunk.text) {
      out.text += chunk.text;
      out.deltas.push(chunk.text);
    }
    if (chunk.stopReason) out.stopReason = chunk.stopReason;
    if (chunk.usage) out.usage = { ...out.usage, ...chunk.usage };
  }
  return out;
}
