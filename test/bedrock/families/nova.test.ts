import { describe, expect, it } from 'vitest';
import { nova as codec } from '../../../src/bedrock/families/nova.js';
import { conversation, fold, leftLines, right, withImage } from './fixtures.js';

describe('nova', () => {
  it('matches Nova ids', () => {
    expect(codec.matches('amazon.nova-micro-v1:0')).toBe(true);
    expect(codec.matches('amazon.titan-text-lite-v1')).toBe(false);
  });

  it('formats a messages-v1 body with base64 bytes', () => {
    expect(codec.formatBody(conversation, { inferenceConfig: { maxTokens: 20 }, system: 'Be brief' })).toEqual({
      schemaVersion: 'messages-v1',
      system: [{ text: 'Be brief' }],
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Hello!' }] },
        { role: 'user', content: [{ text: 'What is 2+2?' }] },
      ],
      inferenceConfig: { maxTokens: 20 },
    });
    expect(codec.formatBody(withImage, { inferenceConfig: {} }).messages).toEqual([
      { role: 'user', content: [{ text: 'Describe' }, { image: { format: 'png', source: { bytes: 'AQID' } } }] },
    ]);
  });

  it('decodes a body', () => {
    expect(
      right(codec.decodeBody({ output: { message: { role: 'assistant', content: [{ text: '4' }] } }, stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 1, totalTokens: 6 } })),
    ).toEqual({ text: '4', stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 1 } });
    expect(leftLines(codec.decodeBody({ output: {}, stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 1 } }))[0]).toMatch(/^output\.message: /);
  });

  it('decodes stream chunks mirroring ConverseStream', () => {
    const stream = [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { delta: { text: 'Fo' }, contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { text: 'ur' }, contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'max_tokens' } },
      { metadata: { usage: { inputTokens: 5, outputTokens: 2 }, metrics: {} } },
    ];
    expect(fold(codec, stream)).toEqual({ text: 'Four', deltas: ['Fo', 'ur'], stopReason: 'max_tokens', usage: { inputTokens: 5, outputTokens: 2 } });
    expect(leftLines(codec.decodeChunk({ surprise: {} }))).not.toHaveLength(0);
  });
});
