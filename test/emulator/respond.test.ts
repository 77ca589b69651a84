import { describe, it, expect } from 'vitest';
import { expectedAnswer, respond, splitPieces } from '../../src/emulator/respond.js';
import { sentimentQuestions, lexiconSentiment } from '../../src/emulator/sentiment.js';

const model = 'amazon.nova-lite-v1:0';

describe('respond', () => {
  it('does small arithmetic', () => {
    expect(respond('What is 12 + 7?', { modelId: model }).text).toBe('19');
    expect(respond('what is 6 * 7', { modelId: model }).text).toBe('42');
    expect(respond('What is 3 - 10?', { modelId: model }).text).toBe('-7');
    expect(respond('What is 12 + 7?', { modelId: model }).task).toBe('arithmetic');
  });

  it('classifies sentiment by the lexicon', () => {
    expect(respond('Classify the sentiment: I love it, great stuff', { modelId: model }).text).toBe('positive');
    expect(respond('Classify the sentiment of this: awful and broken', { modelId: model }).text).toBe('negative');
    expect(respond('Classify the sentiment: it is a chair', { modelId: model }).text).toBe('neutral');
  });

  it('extracts JSON from key: value text', () => {
    const reply = respond('Extract JSON: name: Bob, age: 42', { modelId: model });
    expect(JSON.parse(reply.text)).toEqual({ name: 'Bob', age: '42' });
    expect(reply.pieces.length).toBe(splitPieces(reply.text).length);
    expect(reply.pieces.join('')).toBe(reply.text);
  });

  it('writes seeded lorem text of maxTokens words, or outputTokens when unset', () => {
    const a = respond('Tell me a story', { modelId: model, maxTokens: 7 });
    expect(a.pieces).toHaveLength(7);
    expect(a.stopReason).toBe('max_tokens');
    expect(respond('Tell me a story', { modelId: model, maxTokens: 7 })).toEqual(a);
    const b = respond('Tell me a story', { modelId: model, outputTokens: 12 });
    expect(b.pieces).toHaveLength(12);
    expect(b.pieces.join('')).toBe(b.text);
    expect(b.text).toMatch(/^[A-Z][a-z]*( [a-z]+){11}\.$/);
    expect(b.stopReason).toBe('end_turn');
    expect(respond('Tell me a story', { modelId: 'other', maxTokens: 7 }).text).not.toBe(a.text);
  });

  it('cuts a checkable answer at maxTokens', () => {
    const r = respond('Extract JSON: name: Bob, age: 42', { modelId: model, maxTokens: 3 });
    expect(r.pieces).toHaveLength(3);
    expect(r.stopReason).toBe('max_tokens');
    expect(r.correct).toBe(false);
  });

  it('errs with probability 1 - accuracy, deterministically per (model, prompt, seed)', () => {
    const qs = sentimentQuestions(400, 3);
    const right = qs.filter((q) => respond(q.prompt, { modelId: model, accuracy: 0.7 }).text === q.expected).length;
    expect(right / qs.length).toBeGreaterThan(0.62);
    expect(right / qs.length).toBeLessThan(0.78);
    expect(qs.every((q) => respond(q.prompt, { modelId: model, accuracy: 0.7 }).text === respond(q.prompt, { modelId: model, accuracy: 0.7 }).text)).toBe(true);
    const wrong = respond('What is 12 + 7?', { modelId: model, accuracy: 0 });
    expect(['18', '20']).toContain(wrong.text);
    expect(wrong.correct).toBe(false);
  });

  it('lets a 3-model majority vote beat one model at accuracy 0.7', () => {
    const qs = sentimentQuestions(600, 11);
    const models = ['m1', 'm2', 'm3'];
    let single = 0;
    let vote = 0;
    for (const q of qs) {
      const answers = models.map((m) => respond(q.prompt, { modelId: m, accuracy: 0.7 }).text);
      if (answers[0] === q.expected) single++;
      const counts = new Map<string, number>();
      for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
      const best = [...counts].sort((x, y) => y[1] - x[1])[0]!;
      if (best[1] >= 2 && best[0] === q.expected) vote++;
    }
    expect(vote).toBeGreaterThan(single + qs.length * 0.04);
  });
});

describe('expectedAnswer and sentimentQuestions', () => {
  it('gives the right answer to checkable prompts only', () => {
    expect(expectedAnswer('What is 12 + 7?')).toBe('19');
    expect(expectedAnswer('Extract JSON: a: 1')).toBe('{"a":"1"}');
    expect(expectedAnswer('Hello there')).toBeUndefined();
  });

  it('builds reproducible, labelled questions of every sentiment', () => {
    const qs = sentimentQuestions(90, 5);
    expect(qs).toEqual(sentimentQuestions(90, 5));
    expect(new Set(qs.map((q) => q.prompt)).size).toBe(90);
    expect(new Set(qs.map((q) => q.expected))).toEqual(new Set(['positive', 'negative', 'neutral']));
    for (const q of qs) expect(expectedAnswer(q.prompt)).toBe(q.expected);
    expect(lexiconSentiment('great but awful and rude')).toBe('negative');
  });
});
