import { describe, it, expect } from 'vitest';
import { parseInvokeBody } from '../../src/emulator/familyRequests.js';

describe('parseInvokeBody', () => {
  it('finds the last user turn inside each family’s prompt format', () => {
    const legacy = '\n\nHuman: first\n\nAssistant: ok\n\nHuman: What is 1 + 2?\n\nAssistant:';
    expect(parseInvokeBody('anthropic-text', { prompt: legacy, max_tokens_to_sample: 9 })).toEqual({
      prompt: 'What is 1 + 2?', inputTokens: Math.ceil(legacy.length / 4), images: 0, maxTokens: 9,
    });
    expect(parseInvokeBody('titan-text', { inputText: 'User: What is 1 + 2?\nBot:', textGenerationConfig: { maxTokenCount: 7 } })).toMatchObject({ prompt: 'What is 1 + 2?', maxTokens: 7 });
    expect(parseInvokeBody('llama', { prompt: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\nWhat is 1 + 2?<|eot_id|>' })).toMatchObject({ prompt: 'What is 1 + 2?' });
    expect(parseInvokeBody('mistral', { prompt: '<s>[INST] a [/INST] b</s>[INST] What is 1 + 2? [/INST]', max_tokens: 3 })).toMatchObject({ prompt: 'What is 1 + 2?', maxTokens: 3 });
    expect(parseInvokeBody('mistral', { messages: [{ role: 'user', content: 'hi' }] })).toMatchObject({ prompt: 'hi' });
    expect(parseInvokeBody('cohere-command-r', { message: 'hi', chat_history: [{ role: 'USER', message: 'earlier' }], max_tokens: 4 })).toMatchObject({ prompt: 'hi', maxTokens: 4, inputTokens: 3 });
    expect(parseInvokeBody('jamba', { messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] })).toMatchObject({ prompt: 'hi' });
    expect(parseInvokeBody('nova', { messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { max_new_tokens: 6 } })).toMatchObject({ prompt: 'hi', maxTokens: 6 });
  });

  it('counts Anthropic images and system text', () => {
    const parsed = parseInvokeBody('anthropic-messages', {
      anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, system: 'x'.repeat(8),
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AQID' } }, { type: 'text', text: 'what?' }] }],
    });
    expect(parsed).toEqual({ prompt: 'what?', inputTokens: 4 + 1_000, images: 1, maxTokens: 10 });
  });

  it('answers invalid bodies with Bedrock’s JSON-schema messages', () => {
    expect(parseInvokeBody('llama', [])).toBe('Malformed input request: #: expected type: JSONObject, found: JSONArray, please reformat your input and try again.');
    expect(parseInvokeBody('titan-text', {})).toMatch(/required key \[inputText\] not found/);
    expect(parseInvokeBody('anthropic-messages', { anthropic_version: 'v', max_tokens: 0, messages: [] })).toMatch(/#\/max_tokens: 0 is not greater or equal to 1/);
    expect(parseInvokeBody('anthropic-messages', { anthropic_version: 'v', max_tokens: 5, messages: [{ role: 'user' }] })).toMatch(/#\/messages\/0: required key \[content\]/);
    expect(parseInvokeBody('cohere-command-r', { message: 'x', max_tokens: 1.5 })).toMatch(/expected type: Integer, found: BigDecimal/);
    expect(parseInvokeBody('nova', { messages: [] })).toMatch(/^Malformed input request: A conversation must start with a user message/);
  });
});
