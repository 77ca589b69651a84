import { describe, expect, it } from 'vitest';
import { toRequest } from '../../../src/core/request.js';
import { requestCacheKey } from '../../../src/strategies/internal/stableKey.js';

describe('requestCacheKey', () => {
  it('ignores id, task, metadata and key order; sees messages, system, config and bytes', () => {
    const base = toRequest({ id: 'a', prompt: 'hi', inferenceConfig: { maxTokens: 5, temperature: 0.1 } });
    const same = { ...toRequest({ id: 'b', prompt: 'hi', task: 't', metadata: { u: 1 } }), inferenceConfig: { temperature: 0.1, maxTokens: 5 } };
    expect(requestCacheKey(same)).toBe(requestCacheKey(base));
    expect(requestCacheKey({ ...base, system: 's' })).not.toBe(requestCacheKey(base));
    const image = (byte: number) =>
      toRequest({ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array([byte]) } } }] }] });
    expect(requestCacheKey(image(1))).toBe(requestCacheKey(image(1)));
    expect(requestCacheKey(image(1))).not.toBe(requestCacheKey(image(2)));
  });
});
