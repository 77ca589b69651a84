import { describe, expect, it } from 'vitest';
import { anthropicText as codec } from '../../../src/bedrock/families/anthropicText.js';
import { conversation, fold, leftLines, right, withImage } from './fixtures.js';

describe('anthropicText', () => {
  it('matches claude-v2 and claude-instant', () => {
    expect(codec.matches('anthropic.claude-v2:1')).toBe(true);
    expect(codec.matches('anthropic.claude-instant-v1')).toBe(true);
    expect(codec.matches('anthropic.claude-3-haiku-20240307-v1:0')).toBe(false);
  });

  it('formats a Human/Assistant prompt', () => {
    expect(codec.formatBody(conversation, { inferenceConfig: { maxTokens: 50, stopSequences: ['X'] }, system: 'Be brief' })).toEqual({
      prompt: 'Be brief\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: What is 2+2?\n\nAssistant:',
      max_tokens_to_sample: 50,
      stop_sequences: ['\n\nHuman:', 'X'],
    });
  });

  it('takes text only', () => {
    expect(() => codec.formatBody(withImage, { inferenceConfig: {} })).toThrow(expect.objectContaining({ kind: 'validation' }));
  });

  it('decodes a body; the turn marker is a natural end, a caller sequence is stop_sequence', () => {
    expect(right(codec.decodeBody({ completion: ' Four', stop_reason: 'stop_sequence', stop: '\n\nHuman:' }))).toEqual({ text: ' Four', stopReason: 'end_turn' });
    expect(right(codec.decodeBody({ completion: 'Four', stop_reason: 'stop_sequence', stop: 'X' })).stopReason).toBe('stop_sequence');
    expect(right(codec.decodeBody({ completion: 'Fo', stop_reason: 'max_tokens', stop: null })).stopReason).toBe('max_tokens');
    expect(leftLines(codec.decodeBody({ stop_reason: 'stop_sequence' }))[0]).toMatch(/^completion: /);
  });

  it('decodes stream chunks', () => {
    const stream = [
      { completion: ' Fo', stop_reason: null, stop: null },
      { completion: 'ur', stop_reason: 'stop_sequence', stop: '\n\nHuman:' },
    ];
    expect(fold(codec, stream)).toEqual({ text: ' Four', deltas: [' Fo', 'ur'], stopReason: 'end_turn', usage: {} });
  });
});
