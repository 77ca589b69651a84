import { ModelError } from '../../core/errors.js';
import type { InferenceResponse } from '../../core/response.js';
import { combinedAnswer, type Combiner } from './combiner.js';

/** Options of {@link vote}. */
export interface VoteConfig {
  /** Which answers count as the same; default {@link normalizeAnswer}. */
  readonly normalize?: (text: string) => string;
}

/** Trims, lower-cases, collapses whitespace and strips trailing punctuation: `" Paris. "` → `"paris"`. */
export function normalizeAnswer(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[\s.!?,;:。！？]+$/u, '');
}

/**
 * A {@link Combiner} picking the answer most members gave (after `normalize`);
 * a tie goes to the answer that arrived first. The winner keeps its original
 * text; `details.tally` counts every normalised answer.
 *
 * @example
 * ```ts
 * ensemble([a, b, c], { combine: vote(), quorum: 2 }); // "Paris", "paris." and "Lyon" → "Paris"
 * ```
 */
export function vote(config: VoteConfig = {}): Combiner {
  if (config.normalize !== undefined && typeof config.normalize !== 'function') throw new TypeError('vote: normalize must be a function');
  const normalize = config.normalize ?? normalizeAnswer;
  return {
    name: 'vote',
    key: (response) => normalize(response.text),
    // Settled when no answer, given every remaining vote, could pass the leader,
    // or tie it having arrived first (a tie goes to the earliest answer; a new one is later).
    settled: (responses, remaining) => {
      const votes = new Map<string, number>();
      for (const response of responses) {
        const key = normalize(response.text);
        votes.set(key, (votes.get(key) ?? 0) + 1);
      }
      const counts = [...votes.values()];
      if (counts.length === 0) return false;
      const leader = counts.indexOf(Math.max(...counts));
      const lead = counts[leader]!;
      return remaining <= lead && counts.every((count, i) => i === leader || count + remaining < lead || (count + remaining === lead && i > leader));
    },
    combine: (responses, request) => {
      const tally = new Map<string, { votes: number; first: InferenceResponse }>();
      for (const response of responses) {
        const key = normalize(response.text);
        const entry = tally.get(key);
        tally.set(key, { votes: (entry?.votes ?? 0) + 1, first: entry?.first ?? response });
      }
      let winner: [string, { votes: number; first: InferenceResponse }] | undefined;
      for (const entry of tally) if (winner === undefined || entry[1].votes > winner[1].votes) winner = entry;
      if (winner === undefined) throw new ModelError('invalid-output', 'vote: no answers to vote on', { requestId: request.id });
      return combinedAnswer(request, 'vote', winner[1].first.text, {
        winner: winner[0],
        votes: winner[1].votes,
        tally: Object.fromEntries([...tally].map(([k, v]) => [k, v.votes])),
      });
    },
  };
}
