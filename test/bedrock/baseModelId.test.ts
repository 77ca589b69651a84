import { describe, expect, it } from 'vitest';
import { baseModelId } from '../../src/bedrock/baseModelId.js';

describe('baseModelId', () => {
  it.each([
    ['amazon.nova-lite-v1:0', 'amazon.nova-lite-v1:0'],
    ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 'anthropic.claude-3-5-haiku-20241022-v1:0'],
    ['eu.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0'],
    ['apac.meta.llama3-8b-instruct-v1:0', 'meta.llama3-8b-instruct-v1:0'],
    ['global.anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0'],
    ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0', 'amazon.nova-lite-v1:0'],
    ['arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0', 'amazon.nova-lite-v1:0'],
  ])('%s -> %s', (id, base) => {
    expect(baseModelId(id)).toBe(base);
  });
});
