import { describe, it, expect } from 'vitest';
import { invokeReplyBody, nativeStopReason, streamDeltaEvent, streamEndEvents, streamStartEvents, type ReplyContext } from '../../src/emulator/familyReplies.js';
import type { ModelFamily } from '../../src/emulator/families.js';

const FAMILIES: ModelFamily[] = ['anthropic-messages', 'anthropic-text', 'titan-text', 'nova', 'llama', 'mistral', 'cohere-command-r', 'jamba'];
const ctx: ReplyContext = {
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0', requestId: '00000000-e301-4a7e-8000-000000000001', text: 'Hi there',
  stopReason: 'max_tokens', inputTokens: 3, outputTokens: 2, latencyMs: 12, firstByteLatencyMs: 5,
};

describe('family replies', () => {
  it('name the stop reason the way each family does', () => {
    expect(FAMILIES.map((f) => nativeStopReason(f, 'end_turn'))).toEqual(['end_turn', 'stop_sequence', 'FINISH', 'end_turn', 'stop', 'stop', 'COMPLETE', 'stop']);
    expect(FAMILIES.map((f) => nativeStopReason(f, 'max_tokens'))).toEqual(['max_tokens', 'max_tokens', 'LENGTH', 'max_tokens', 'length', 'length', 'MAX_TOKENS', 'length']);
  });

  it('put the text where each family keeps it', () => {
    expect(invokeReplyBody('anthropic-messages', ctx)).toMatchObject({ type: 'message', model: 'claude-3-haiku-20240307', content: [{ type: 'text', text: 'Hi there' }], usage: { input_tokens: 3, output_tokens: 2 } });
    expect(invokeReplyBody('titan-text', ctx)).toEqual({ inputTextTokenCount: 3, results: [{ tokenCount: 2, outputText: 'Hi there', completionReason: 'LENGTH' }] });
    expect(invokeReplyBody('llama', ctx)).toEqual({ generation: 'Hi there', prompt_token_count: 3, generation_token_count: 2, stop_reason: 'length' });
    expect(invokeReplyBody('jamba', ctx)).toMatchObject({ choices: [{ message: { content: 'Hi there' }, finish_reason: 'length' }], usage: { total_tokens: 5 } });
  });

  it('stream start, delta and end events, with invocation metrics on the last one only', () => {
    for (const family of FAMILIES) {
      const events = [...streamStartEvents(family, ctx), streamDeltaEvent(family, 'Hi', 0, ctx), ...streamEndEvents(family, ctx)];
      const withMetrics = events.filter((e) => (e as Record<string, unknown>)['amazon-bedrock-invocationMetrics'] !== undefined);
      expect(withMetrics).toEqual([events.at(-1)]);
      expect((events.at(-1) as Record<string, unknown>)['amazon-bedrock-invocationMetrics']).toEqual({ inputTokenCount: 3, outputTokenCount: 2, invocationLatency: 12, firstByteLatency: 5 });
      expect(JSON.stringify(events)).toContain('"Hi"');
    }
  });
});
