import { describe, expect, it } from 'vitest';
import { cohereCommandR as codec } from '../../../src/bedrock/families/cohereCommandR.js';
import { toRequest } from '../../../src/core/request.js';
import { conversation, fold, leftLines, right, withImage } from './fixtures.js';

describe('cohereCommandR', () => {
  it('matches Command R ids', () => {
    expect(codec.matches('cohere.command-r-plus-v1:0')).toBe(true);
    expect(codec.matches('cohere.command-text-v14')).toBe(false);
  });

  it('formats message, chat_history and preamble', () => {
    expect(codec.formatBody(conversation, { inferenceConfig: { maxTokens: 40, topP: 0.5 }, system: 'Be brief' })).toEqual({
      message: 'What is 2+2?',
      chat_history: [
        { role: 'USER', message: 'Hi' },
        { role: 'CHATBOT', message: 'Hello!' },
      ],
      preamble: 'Be brief',
      max_tokens: 40,
      p: 0.5,
    });
  });

  it('needs a final user turn and text only', () => {
    const prefill = toRequest({ messages: [{ role: 'user', content: [{ text: 'a' }] }, { role: 'assistant', content: [{ text: 'b' }] }] });
    expect(() => codec.formatBody(prefill, { inferenceConfig: {} })).toThrow(expect.objectContaining({ kind: 'validation' }));
    expect(() => codec.formatBody(withImage, { inferenceConfig: {} })).toThrow(expect.objectContaining({ kind: 'validation' }));
  });

  it('decodes a body', () => {
    expect(right(codec.decodeBody({ response_id: 'x', text: '4', generation_id: 'g', finish_reason: 'COMPLETE' }))).toEqual({ text: '4', stopReason: 'end_turn' });
    expect(right(codec.decodeBody({ text: '', finish_reason: 'ERROR_TOXIC' })).stopReason).toBe('content_filtered');
    expect(leftLines(codec.decodeBody({ text: '4', finish_reason: 'ERROR' }))[0]).toMatch(/^finish_reason: /);
  });

  it('decodes stream events', () => {
    const stream = [
      { is_finished: false, event_type: 'stream-start', generation_id: 'g' },
      { is_finished: false, event_type: 'text-generation', text: 'Fo' },
      { is_finished: false, event_type: 'text-generation', text: 'ur' },
      { is_finished: true, event_type: 'stream-end', finish_reason: 'MAX_TOKENS', response: {} },
    ];
    expect(fold(codec, stream)).toEqual({ text: 'Four', deltas: ['Fo', 'ur'], stopReason: 'max_tokens', usage: {} });
  });
});
