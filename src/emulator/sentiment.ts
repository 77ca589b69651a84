import { seededRandom } from './random.js';

/** A sentiment label the responder answers with. */
export type Sentiment = 'positive' | 'negative' | 'neutral';

/** The three labels, in a fixed order. */
export const SENTIMENTS: readonly Sentiment[] = ['positive', 'negative', 'neutral'];

const POSITIVE = ['good', 'great', 'love', 'loved', 'excellent', 'happy', 'wonderful', 'amazing', 'fantastic', 'delightful', 'pleasant', 'superb', 'friendly', 'best', 'enjoyed'];
const NEGATIVE = ['bad', 'terrible', 'hate', 'hated', 'awful', 'sad', 'poor', 'horrible', 'worst', 'disappointing', 'broken', 'boring', 'rude', 'dirty', 'slow'];
const POSITIVE_SET = new Set(POSITIVE);
const NEGATIVE_SET = new Set(NEGATIVE);
const NOUNS = ['hotel', 'pizza', 'phone', 'movie', 'concert', 'laptop', 'service', 'room', 'coffee', 'book', 'flight', 'game'];
const NEUTRAL = ['arrived on Tuesday', 'came in a blue box', 'was ordered last week', 'is sold in three sizes', 'was delivered by courier', 'weighs two kilograms'];

/**
 * The ground-truth sentiment of a text by the emulator's lexicon: more positive
 * words than negative is `positive`, fewer is `negative`, a tie is `neutral`.
 */
export function lexiconSentiment(text: string): Sentiment {
  let score = 0;
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (POSITIVE_SET.has(word)) score++;
    else if (NEGATIVE_SET.has(word)) score--;
  }
  return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
}

/** The prompt the responder recognises as a sentiment question about `text`. */
export function sentimentPrompt(text: string): string {
  return `Classify the sentiment of this review as positive, negative or neutral: ${text}`;
}

/**
 * `n` distinct sentiment questions with their expected labels, the same for the same seed.
 * Labels are balanced at random; some reviews mix both polarities.
 *
 * @example
 * ```ts
 * sentimentQuestions(2, 7); // [{ prompt: 'Classify the sentiment … : The hotel was great and …', expected: 'positive' }, …]
 * ```
 */
export function sentimentQuestions(n: number, seed = 0): { prompt: string; expected: Sentiment }[] {
  const random = seededRandom(seed ^ 0x5e47);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out: { prompt: string; expected: Sentiment }[] = [];
  for (let i = 0; i < n; i++) {
    const noun = pick(NOUNS);
    const roll = random();
    const text =
      roll < 0.3
        ? `The ${noun} was ${pick(POSITIVE)} and the staff were ${pick(POSITIVE)}`
        : roll < 0.6
          ? `The ${noun} was ${pick(NEGATIVE)} and the staff were ${pick(NEGATIVE)}`
          : roll < 0.8
            ? `The ${noun} ${pick(NEUTRAL)}`
            : `The ${noun} was ${pick(POSITIVE)} but the ${pick(NOUNS)} was ${pick(NEGATIVE)} and ${pick(NEGATIVE)}`;
    const review = `${text} (review ${i + 1}).`;
    out.push({ prompt: sentimentPrompt(review), expected: lexiconSentiment(review) });
  }
  return out;
}
