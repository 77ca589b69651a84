import { describe, expect, it } from 'vitest';
import { toRequest } from '../../../src/core/request.js';
import type { InferenceResponse } from '../../../src/core/response.js';
import { average } from '../../../src/strategies/combiners/average.js';
import { modelErrorOfKind } from '../../../src/testing/index.js';

const req = toRequest({ id: 'r1', prompt: 'q' });
const answer = (modelId: string, text: string) => ({ modelId, text }) as InferenceResponse;

describe('average', () => {
  it('averages the first number of each answer, ignoring answers without one', () => {
    const result = average().combine([answer('a', '10'), answer('b', 'about 12 km'), answer('c', 'It is 1,400.'), answer('d', 'unsure')], req) as InferenceResponse;
    expect(result).toMatchObject({ text: '474', details: { mean: 474, ignored: ['d'] } });
  });

  it('keeps float noise out of the text', () => {
    expect((average().combine([answer('a', '0.1'), answer('b', '0.2'), answer('c', '0.6')], req) as InferenceResponse).text).toBe('0.3');
  });

  it('fails with invalid-output when no answer holds a number, and agrees on equal numbers', () => {
    expect(() => average().combine([answer('a', 'no')], req)).toThrow(expect.objectContaining({ kind: 'invalid-output' }));
    let caught: unknown;
    try { average().combine([answer('a', 'none')], req); } catch (e) { caught = e; }
    expect(caught).toEqual(modelErrorOfKind('invalid-output'));
    expect(average().key!(answer('a', '42.'))).toBe(average().key!(answer('b', 'the answer is 42')));
  });
});
