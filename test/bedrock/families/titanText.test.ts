import { describe, expect, it } from 'vitest';
import { titanText as codec } from '../../../src/bedrock/families/titanText.js';
import { conversation, fold, leftLines, right, withImage } from './fixtures.js';

describe('titanText', () => {
  it('matches Titan Text ids', () => {
    expect(codec.matches('amazon.titan-text-express-v1')).toBe(true);
    expect(codec.matches('amazon.titan-text-premier-v1:0')).toBe(true);
    expect(codec.matches('amazon.nova-lite-v1:0')).toBe(false);
  });

  it('formats a User/Bot transcript and textGenerationConfig', () => {
    expect(codec.formatBody(conversation, { inferenceConfig: { maxTokens: 100, temperature: 0.5, topP: 0.9, stopSequences: ['|'] }, system: 'Be brief' })).toEqual({
      inputText: 'Be brief\n\nUser: Hi\nBot: Hello!\nUser: What is 2+2?\nBot:',
      textGenerationConfig: { maxTokenCount: 100, temperature: 0.5, topP: 0.9, stopSequences: ['|'] },
    });
    expect(() => codec.formatBody(withImage, { inferenceConfig: {} })).toThrow(expect.objectContaining({ kind: 'validation' }));
  });

  it('decodes a body with usage and maps completion reasons', () => {
    expect(right(codec.decodeBody({ inputTextTokenCount: 3, results: [{ tokenCount: 13, outputText: '4', completionReason: 'FINISH' }] }))).toEqual({
      text: '4',
      stopReason: 'end_turn',
      usage: { inputTokens: 3, outputTokens: 13 },
    });
    expect(right(codec.decodeBody({ inputTextTokenCount: 3, results: [{ tokenCount: 1, outputText: '4', completionReason: 'LENGTH' }] })).stopReason).toBe('max_tokens');
    expect(right(codec.decodeBody({ inputTextTokenCount: 3, results: [{ tokenCount: 1, outputText: '', completionReason: 'CONTENT_FILTERED' }] })).stopReason).toBe(
      'content_filtered',
    );
    expect(leftLines(codec.decodeBody({ inputTextTokenCount: 3, results: [{ tokenCount: 1, outputText: '4', completionReason: 'WHATEVER' }] }))[0]).toMatch(
      /^results\.0\.completionReason|^results\[0\]\.completionReason/,
    );
  });

  it('decodes stream chunks', () => {
    const stream = [
      { outputText: 'Fo', index: 0, totalOutputTextTokenCount: 1, completionReason: null, inputTextTokenCount: 3 },
      { outputText: 'ur', index: 0, totalOutputTextTokenCount: 2, completionReason: 'FINISH', inputTextTokenCount: null },
    ];
    expect(fold(codec, stream)).toEqual({ text: 'Four', deltas: ['Fo', 'ur'], stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 2 } });
  });
});
