import { describe, it, expect } from 'vitest';
import { baseModelId, familyOf } from '../../src/emulator/families.js';
import { DEFAULT_PROFILES } from '../../src/emulator/catalog.js';

describe('familyOf', () => {
  it('knows the family of every default model', () => {
    for (const id of Object.keys(DEFAULT_PROFILES)) expect(familyOf(id)).toBeDefined();
    expect(familyOf('anthropic.claude-v2:1')).toBe('anthropic-text');
    expect(familyOf('anthropic.claude-instant-v1')).toBe('anthropic-text');
    expect(familyOf('anthropic.claude-3-opus-20240229-v1:0')).toBe('anthropic-messages');
    expect(familyOf('amazon.titan-text-lite-v1')).toBe('titan-text');
    expect(familyOf('cohere.command-r-plus-v1:0')).toBe('cohere-command-r');
    expect(familyOf('ai21.jamba-1-5-mini-v1:0')).toBe('jamba');
    expect(familyOf('acme.unknown-v1')).toBeUndefined();
  });

  it('sees through inference-profile prefixes and ARNs', () => {
    expect(familyOf('us.anthropic.claude-3-5-haiku-20241022-v1:0')).toBe('anthropic-messages');
    expect(familyOf('eu.meta.llama3-8b-instruct-v1:0')).toBe('llama');
    expect(baseModelId('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
    expect(baseModelId('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
  });
});
