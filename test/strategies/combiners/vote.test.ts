import { describe, expect, it } from 'vitest';
import { toRequest } from '../../../src/core/request.js';
import type { InferenceResponse } from '../../../src/core/response.js';
import { normalizeAnswer, vote } from '../../../src/strategies/combiners/vote.js';

const req = toRequest({ id: 'r1', prompt: 'q' });
const answer = (modelId: string, text: string) => ({ modelId, text }) as InferenceResponse;

describe('vote', () => {
  it('normalises by trimming, lower-casing and stripping trailing punctuation', () => {
    expect(normalizeAnswer('  Paris.  ')).toBe('paris');
    expect(normalizeAnswer('YES!!')).toBe('yes');
    expect(normalizeAnswer('New   York?')).toBe('new york');
  });

  it('picks the majority, keeping the first original text, with the tally', () => {
    const result = vote().combine([answer('a', 'Lyon'), answer('b', 'Paris!'), answer('c', 'paris')], req) as InferenceResponse;
    expect(result).toMatchObject({ text: 'Paris!', usage: { inputTokens: 0, outputTokens: 0 }, details: { winner: 'paris', votes: 2, tally: { lyon: 1, paris: 2 } } });
  });

  it('breaks ties by first arrival and accepts a custom normalize', () => {
    expect((vote().combine([answer('a', 'x'), answer('b', 'y')], req) as InferenceResponse).text).toBe('x');
    const byFirstWord = vote({ normalize: (t) => t.split(' ')[0]!.toLowerCase() });
    expect((byFirstWord.combine([answer('a', 'no way'), answer('b', 'Yes sure'), answer('c', 'yes indeed')], req) as InferenceResponse).text).toBe('Yes sure');
    expect(byFirstWord.key!(answer('a', 'Yes sure'))).toBe('yes');
  });

  it('is settled only when no remaining votes could pass the leader or win a tie against it', () => {
    const v = vote();
    const of = (...texts: string[]) => texts.map((t, i) => answer(`m${i}`, t));
    expect(v.settled!(of(), 0)).toBe(false);
    expect(v.settled!(of('x'), 0)).toBe(true);
    expect(v.settled!(of('x', 'x', 'y', 'z'), 1)).toBe(true); // a late y or z only ties x, which came first
    expect(v.settled!(of('y', 'x', 'x', 'z'), 1)).toBe(false); // a late y ties x and y came first
    expect(v.settled!(of('x', 'x', 'y'), 2)).toBe(false); // two more y would pass x
    expect(v.settled!(of('x', 'x'), 2)).toBe(true); // two new answers only tie x, later
    expect(v.settled!(of('x', 'x'), 3)).toBe(false);
    expect(vote({ normalize: () => 'same' }).settled!(of('a', 'b'), 1)).toBe(true);
  });

  it('refuses to vote on nothing and checks its options', () => {
    expect(() => vote().combine([], req)).toThrow(/no answers/);
    expect(() => vote({ normalize: 1 as unknown as (t: string) => string })).toThrow(/vote: normalize/);
  });
});
