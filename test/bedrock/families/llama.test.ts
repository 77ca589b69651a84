import { describe, expect, it } from 'vitest';
import { llama as codec } from '../../../src/bedrock/families/llama.js';
import { conversation, fold, leftLines, right, withImage } from './fixtures.js';

describe('llama', () => {
  it('matches Llama 3.x ids', () => {
    expect(codec.matches('meta.llama3-8b-instruct-v1:0')).toBe(true);
    expect(codec.matches('meta.llama3-1-70b-instruct-v1:0')).toBe(true);
    expect(codec.matches('meta.llama2-13b-chat-v1')).toBe(false);
  });

  it('formats the Llama 3 chat template', () => {
    expect(codec.formatBody(conversation, { inferenceConfig: { maxTokens: 64, temperature: 0.1 }, system: 'Be brief' })).toEqual({
      prompt:
        '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
      max_gen_len: 64,
      temperature: 0.1,
    });
  });

  it('rejects images and stop sequences (the native body has none)', () => {
    expect(() => codec.formatBody(withImage, { inferenceConfig: {} })).toThrow(expect.objectContaining({ kind: 'validation' }));
    expect(() => codec.formatBody(conversation, { inferenceConfig: { stopSequences: ['x'] } })).toThrow(
      expect.objectContaining({ kind: 'validation', details: [expect.stringMatching(/^inferenceConfig\.stopSequences/)] }),
    );
  });

  it('decodes a body', () => {
    expect(right(codec.decodeBody({ generation: '4', prompt_token_count: 10, generation_token_count: 1, stop_reason: 'length' }))).toEqual({
      text: '4',
      stopReason: 'max_tokens',
      usage: { inputTokens: 10, outputTokens: 1 },
    });
    expect(leftLines(codec.decodeBody({ generation: 4, prompt_token_count: 10, generation_token_count: 1, stop_reason: 'stop' }))[0]).toMatch(/^generation: /);
  });

  it('decodes stream chunks (prompt count on the first only)', () => {
    const stream = [
      { generation: 'Fo', prompt_token_count: 10, generation_token_count: 1, stop_reason: null },
      { generation: 'ur', prompt_token_count: null, generation_token_count: 2, stop_reason: 'stop' },
    ];
    expect(fold(codec, stream)).toEqual({ text: 'Four', deltas: ['Fo', 'ur'], stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: 2 } });
  });
});
