import { describe, expect, it } from 'vitest';
import { jamba as codec } from '../../../src/bedrock/families/jamba.js';
import { conversation, fold, leftLines, right, withImage } from './fixtures.js';

describe('jamba', () => {
  it('matches Jamba ids', () => {
    expect(codec.matches('ai21.jamba-1-5-mini-v1:0')).toBe(true);
    expect(codec.matches('ai21.j2-ultra-v1')).toBe(false);
  });

  it('formats OpenAI-style messages with a system message', () => {
    expect(codec.formatBody(conversation, { inferenceConfig: { maxTokens: 10, temperature: 0.7 }, system: 'Be brief' })).toEqual({
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'What is 2+2?' },
      ],
      max_tokens: 10,
      temperature: 0.7,
    });
    expect(() => codec.formatBody(withImage, { inferenceConfig: {} })).toThrow(expect.objectContaining({ kind: 'validation' }));
  });

  it('decodes a body', () => {
    expect(
      right(
        codec.decodeBody({
          id: 'chatcmpl-1',
          choices: [{ index: 0, message: { role: 'assistant', content: '4' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
        }),
      ),
    ).toEqual({ text: '4', stopReason: 'end_turn', usage: { inputTokens: 9, outputTokens: 1 } });
    expect(leftLines(codec.decodeBody({ choices: [{ message: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } }))[0]).toMatch(
      /content/,
    );
  });

  it('decodes stream chunks with usage on the last', () => {
    const stream = [
      { id: 'c', choices: [{ index: 0, delta: { role: 'assistant', content: 'Fo' }, finish_reason: null }] },
      { id: 'c', choices: [{ index: 0, delta: { content: 'ur' }, finish_reason: null }] },
      { id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'length' }], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } },
    ];
    expect(fold(codec, stream)).toEqual({ text: 'Four', deltas: ['Fo', 'ur'], stopReason: 'max_tokens', usage: { inputTokens: 9, outputTokens: 2 } });
  });
});
