import { describe, expect, it } from 'vitest';
import { FAMILY_CODECS, familyCodecOf } from '../../../src/bedrock/families/familyCodecOf.js';

describe('familyCodecOf', () => {
  it.each([
    ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 'anthropic-messages'],
    ['anthropic.claude-instant-v1', 'anthropic-text'],
    ['eu.amazon.nova-pro-v1:0', 'nova'],
    ['amazon.titan-text-lite-v1', 'titan-text'],
    ['apac.meta.llama3-1-8b-instruct-v1:0', 'llama'],
    ['mistral.mixtral-8x7b-instruct-v0:1', 'mistral'],
    ['cohere.command-r-v1:0', 'cohere-command-r'],
    ['global.ai21.jamba-1-5-large-v1:0', 'jamba'],
    ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0', 'nova'],
  ])('%s is %s', (id, family) => {
    expect(familyCodecOf(id)?.family).toBe(family);
  });

  it('knows no codec for other families, and lets a named family win', () => {
    expect(familyCodecOf('stability.sd3-large-v1:0')).toBeUndefined();
    expect(familyCodecOf('acme.fine-tune-v1', 'llama')).toBe(FAMILY_CODECS.llama);
  });

  it('has one codec per family, each named after its key', () => {
    for (const [family, codec] of Object.entries(FAMILY_CODECS)) expect(codec.family).toBe(family);
  });
});
