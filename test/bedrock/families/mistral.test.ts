import { describe, expect, it } from 'vitest';
import { mistral as codec } from '../../../src/bedrock/families/mistral.js';
import { conversation, fold, leftLines, right, withImage } from './fixtures.js';

describe('mistral', () => {
  it('matches the text-completion Mistral ids, not Large 2407 (chat format)', () => {
    expect(codec.matches('mistral.mistral-7b-instruct-v0:2')).toBe(true);
    expect(codec.matches('mistral.mixtral-8x7b-instruct-v0:1')).toBe(true);
    expect(codec.matches('mistral.mistral-large-2402-v1:0')).toBe(true);
    expect(codec.matches('mistral.mistral-large-2407-v1:0')).toBe(false);
  });

  it('formats an [INST] prompt with the system prompt in the first instruction', () => {
    expect(codec.formatBody(conversation, { inferenceConfig: { maxTokens: 30, stopSequences: ['.'] }, system: 'Be brief' })).toEqual({
      prompt: '<s>[INST] Be brief\n\nHi [/INST] Hello!</s>[INST] What is 2+2? [/INST]',
      max_tokens: 30,
      stop: ['.'],
    });
    expect(() => codec.formatBody(withImage, { inferenceConfig: {} })).toThrow(expect.objectContaining({ kind: 'validation' }));
  });

  it('decodes a body (no usage in it)', () => {
    expect(right(codec.decodeBody({ outputs: [{ text: '4', stop_reason: 'stop' }] }))).toEqual({ text: '4', stopReason: 'end_turn' });
    expect(leftLines(codec.decodeBody({ outputs: [] }))[0]).toMatch(/^outputs/);
  });

  it('decodes stream chunks', () => {
    const stream = [{ outputs: [{ text: 'Fo', stop_reason: null }] }, { outputs: [{ text: 'ur', stop_reason: 'length' }] }];
    expect(fold(codec, stream)).toEqual({ text: 'Four', deltas: ['Fo', 'ur'], stopReason: 'max_tokens', usage: {} });
  });
});
