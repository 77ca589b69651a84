import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { converseReplyJson } from '../../src/emulator/converseReply.js';

const viaStringify = (text: string | undefined, stopReason: string, inputTokens: number, outputTokens: number, latencyMs: number): string =>
  JSON.stringify({
    output: { message: { role: 'assistant', content: text === undefined ? [] : [{ text }] } },
    stopReason,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    metrics: { latencyMs },
  });

describe('converseReplyJson', () => {
  it('writes exactly what JSON.stringify writes for the reply object, for any text', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
        fc.constantFrom('end_turn', 'max_tokens', 'malformed_model_output'),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (text, stopReason, inputTokens, outputTokens, latencyMs) => {
          expect(converseReplyJson({ text, stopReason, inputTokens, outputTokens, latencyMs })).toBe(
            viaStringify(text, stopReason, inputTokens, outputTokens, latencyMs),
          );
        },
      ),
    );
  });

  it('escapes quotes, backslashes, control characters and lone surrogates like JSON.stringify', () => {
    const text = 'a"b\\c\n\t\u0001\u2028 é 😀 \ud800';
    const json = converseReplyJson({ text, stopReason: 'end_turn', inputTokens: 3, outputTokens: 2, latencyMs: 7 });
    expect(json).toBe(viaStringify(text, 'end_turn', 3, 2, 7));
    expect(JSON.parse(json).output.message.content[0].text).toBe(text);
  });

  it('sends an empty content list for a malformed output', () => {
    const json = converseReplyJson({ text: undefined, stopReason: 'malformed_model_output', inputTokens: 1, outputTokens: 0, latencyMs: 0 });
    expect(JSON.parse(json).output.message.content).toEqual([]);
  });
});
