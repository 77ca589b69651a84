import { describe, expect, it } from 'vitest';
import { toRequest } from '../../src/core/request.js';
import { keywordClassifier } from '../../src/strategies/keywordClassifier.js';

const png = new Uint8Array([137, 80, 78, 71]);

describe('keywordClassifier', () => {
  const classify = keywordClassifier();

  it('recognises code, structured data, low-latency and image tasks by keywords', () => {
    expect(classify(toRequest('Why does this TypeScript function not compile?'))).toBe('code');
    expect(classify(toRequest('Extract the fields as JSON'))).toBe('structured-data');
    expect(classify(toRequest('Quick: yes or no?'))).toBe('low-latency');
    expect(classify(toRequest('Describe the photo'))).toBe('image');
    expect(classify(toRequest('Tell me a story'))).toBeUndefined();
  });

  it('matches whole words only', () => {
    expect(classify(toRequest('a decoded message about tablets'))).toBeUndefined();
  });

  it('routes any image block to image, and lets the task hint win', () => {
    expect(classify(toRequest({ messages: [{ role: 'user', content: [{ text: 'hm' }, { image: { format: 'png', source: { bytes: png } } }] }] }))).toBe('image');
    expect(classify(toRequest({ prompt: 'fix this bug', task: 'math' }))).toBe('math');
  });

  it('takes custom rules with strings and RegExps, first match winning', () => {
    const billing = keywordClassifier({ billing: ['invoice', /refund(s)?/i], support: ['help'] });
    expect(billing(toRequest('I need help with a refund'))).toBe('billing');
    expect(billing(toRequest('help!'))).toBe('support');
    expect(() => keywordClassifier({ x: 'word' as never })).toThrow(/rules\.x/);
  });
});
