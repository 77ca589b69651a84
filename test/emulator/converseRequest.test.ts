import { describe, it, expect } from 'vitest';
import { parseConverseBody } from '../../src/emulator/converseRequest.js';

describe('parseConverseBody', () => {
  it('takes the last user turn as the prompt and counts every text', () => {
    const parsed = parseConverseBody({
      system: [{ text: 'abcd' }],
      messages: [
        { role: 'user', content: [{ text: 'first' }] },
        { role: 'assistant', content: [{ text: 'reply' }, { toolUse: { toolUseId: 't', name: 'f', input: { a: 1 } } }] },
        { role: 'user', content: [{ text: 'What is' }, { text: '2 + 2?' }, { image: { format: 'png', source: { bytes: 'AQID' } } }] },
      ],
      inferenceConfig: { maxTokens: 12 },
    });
    expect(parsed).toEqual({ prompt: 'What is\n2 + 2?', inputTokens: Math.ceil((4 + 5 + 5 + 7 + 7 + 6) / 4) + 1_000, images: 1, maxTokens: 12 });
  });

  it('rejects what Bedrock rejects, saying where', () => {
    expect(parseConverseBody(null)).toMatch(/^Malformed input request/);
    expect(parseConverseBody({ messages: 'hi' })).toBe("1 validation error detected: Value 'hi' at 'messages' failed to satisfy constraint: Member must not be null");
    expect(parseConverseBody({ messages: [{ role: 'user', content: [{ text: 'a' }] }, { role: 'bot', content: [] }] })).toMatch(/messages\.2\.member\.role/);
    expect(parseConverseBody({ messages: [{ role: 'user', content: null }] })).toMatch(/messages\.1\.member\.content/);
    expect(parseConverseBody({ messages: [{ role: 'user', content: [{ text: 'a' }] }], inferenceConfig: { maxTokens: 1.5 } })).toMatch(/inferenceConfig\.maxTokens/);
  });
});
