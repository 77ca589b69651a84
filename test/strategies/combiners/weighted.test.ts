import { describe, expect, it } from 'vitest';
import { toRequest } from '../../../src/core/request.js';
import type { InferenceResponse } from '../../../src/core/response.js';
import { weighted } from '../../../src/strategies/combiners/weighted.js';

const req = toRequest({ id: 'r1', prompt: 'q' });
const answer = (modelId: string, text: string) => ({ modelId, text }) as InferenceResponse;

describe('weighted', () => {
  it('takes the weighted mean when every answer is a number', () => {
    const result = weighted({ a: 3, b: 1 }).combine([answer('a', '10'), answer('b', '20.')], req) as InferenceResponse;
    expect(result).toMatchObject({ text: '12.5', details: { mode: 'number', mean: 12.5 } });
  });

  it('votes by weight on text, unknown models weighing 1', () => {
    const w = weighted({ strong: 3 });
    expect((w.combine([answer('x', 'Lyon'), answer('y', 'lyon'), answer('strong', 'Paris')], req) as InferenceResponse)).toMatchObject({
      text: 'Paris', details: { mode: 'vote', winner: 'paris', tally: { lyon: 2, paris: 3 } },
    });
    expect((w.combine([answer('x', 'Lyon'), answer('y', 'Nice'), answer('z', '3')], req) as InferenceResponse).text).toBe('Lyon');
  });

  it('fails when no answer carries weight and checks its weights', () => {
    expect(() => weighted({ a: 0 }).combine([answer('a', '1')], req)).toThrow(expect.objectContaining({ kind: 'invalid-output' }));
    expect(() => weighted({ a: -1 })).toThrow(/weighted: weights\["a"\]/);
    expect(() => weighted({ a: Number.NaN })).toThrow(TypeError);
  });
});
