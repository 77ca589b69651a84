import { describe, expect, it } from 'vitest';
import { anthropicMessages as codec } from '../../../src/bedrock/families/anthropicMessages.js';
import { toRequest } from '../../../src/core/request.js';
import { conversation, fold, leftLines, right, withImage } from './fixtures.js';

describe('anthropicMessages', () => {
  it('matches Claude 3+ ids, not the legacy text models', () => {
    expect(codec.matches('anthropic.claude-3-haiku-20240307-v1:0')).toBe(true);
    expect(codec.matches('anthropic.claude-3-5-sonnet-20241022-v2:0')).toBe(true);
    expect(codec.matches('anthropic.claude-v2:1')).toBe(false);
    expect(codec.matches('anthropic.claude-instant-v1')).toBe(false);
  });

  it('formats a Messages API body with the Bedrock anthropic_version', () => {
    expect(codec.formatBody(conversation, { inferenceConfig: { temperature: 0.2, stopSequences: ['END'] }, system: 'Be brief' })).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 1024,
      system: 'Be brief',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
        { role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] },
      ],
      temperature: 0.2,
      stop_sequences: ['END'],
    });
  });

  it('sends images and pdf/text documents as base64 or text sources, and rejects other documents', () => {
    const body = codec.formatBody(withImage, { inferenceConfig: { maxTokens: 10 } });
    expect(body.max_tokens).toBe(10);
    expect((body.messages as { content: unknown[] }[])[0]!.content[1]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AQID' } });
    const doc = (format: string) =>
      toRequest({ messages: [{ role: 'user', content: [{ document: { format, name: 'd', source: { bytes: new TextEncoder().encode('hello') } } }] }] });
    expect((codec.formatBody(doc('pdf'), { inferenceConfig: {} }).messages as { content: unknown[] }[])[0]!.content[0]).toEqual({
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: 'aGVsbG8=' },
    });
    expect((codec.formatBody(doc('md'), { inferenceConfig: {} }).messages as { content: unknown[] }[])[0]!.content[0]).toEqual({
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: 'hello' },
    });
    expect(() => codec.formatBody(doc('xlsx'), { inferenceConfig: {} })).toThrow(expect.objectContaining({ kind: 'validation' }));
  });

  it('decodes a body', () => {
    expect(
      right(
        codec.decodeBody({
          id: 'msg_bdrk_1',
          type: 'message',
          content: [{ type: 'text', text: 'Four' }, { type: 'tool_use' }, { type: 'text', text: '.' }],
          stop_reason: 'max_tokens',
          stop_sequence: null,
          usage: { input_tokens: 12, output_tokens: 5 },
        }),
      ),
    ).toEqual({ text: 'Four.', stopReason: 'max_tokens', usage: { inputTokens: 12, outputTokens: 5 } });
  });

  it('reports a bad body by path', () => {
    expect(leftLines(codec.decodeBody({ content: [{ type: 'text', text: 1 }], stop_reason: 'bored', usage: {} }))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^stop_reason: /), expect.stringMatching(/^usage\.input_tokens: /)]),
    );
  });

  it('decodes the stream events, ignoring non-text deltas', () => {
    const stream = [
      { type: 'message_start', message: { usage: { input_tokens: 8, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } },
      { type: 'message_stop' },
    ];
    expect(fold(codec, stream)).toEqual({ text: 'Hello', deltas: ['Hel', 'lo'], stopReason: 'end_turn', usage: { inputTokens: 8, outputTokens: 15 } });
    expect(leftLines(codec.decodeChunk({ type: 'content_block_delta', delta: { type: 'text_delta' } }))[0]).toMatch(/delta/);
  });
});
