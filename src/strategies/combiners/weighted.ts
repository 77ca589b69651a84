import { ModelError } from '../../core/errors.js';
import type { InferenceResponse } from '../../core/response.js';
import { tidy, wholeNumber } from '../internal/parseNumber.js';
import { combinedAnswer, type Combiner } from './combiner.js';
import { normalizeAnswer } from './vote.js';

/**
 * A {@link Combiner} trusting some models more: when every answer is a number,
 * their weighted mean; otherwise a vote where each answer counts its model's
 * weight (ties to the first arrival). Models missing from `weights` weigh 1.
 *
 * @example
 * ```ts
 * ensemble([claude, nova, llama], { combine: weighted({ 'anthropic.claude-3-5-sonnet': 3, 'amazon.nova-micro-v1:0': 1 }) });
 * ```
 * @throws TypeError when a weight is negative or not a finite number.
 */
export function weighted(weights: Readonly<Record<string, number>>): Combiner {
  if (typeof weights !== 'object' || weights === null) throw new TypeError('weighted: weights must be a record of model id → number');
  for (const [id, w] of Object.entries(weights)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new TypeError(`weighted: weights["${id}"] must be a finite number ≥ 0, got ${String(w)}`);
  }
  const weightOf = (r: InferenceResponse) => weights[r.modelId] ?? 1;
  return {
    name: 'weighted',
    key: (response) => normalizeAnswer(response.text),
    combine: (responses, request) => {
      const numbers = responses.map((r) => wholeNumber(r.text));
      const total = responses.reduce((sum, r) => sum + weightOf(r), 0);
      if (responses.length === 0 || total === 0) {
        throw new ModelError('invalid-output', 'weighted: no answer with a weight above 0', { requestId: request.id });
      }
      if (numbers.every((n) => n !== undefined)) {
        const mean = tidy(responses.reduce((sum, r, i) => sum + weightOf(r) * numbers[i]!, 0) / total);
        return combinedAnswer(request, 'weighted', String(mean), { mode: 'number', mean, weights: responses.map((r) => [r.modelId, weightOf(r)]) });
      }
      const tally = new Map<string, { weight: number; first: InferenceResponse }>();
      for (const r of responses) {
        const key = normalizeAnswer(r.text);
        const entry = tally.get(key);
        tally.set(key, { weight: (entry?.weight ?? 0) + weightOf(r), first: entry?.first ?? r });
      }
      let winner: [string, { weight: number; first: InferenceResponse }] | undefined;
      for (const entry of tally) if (winner === undefined || entry[1].weight > winner[1].weight) winner = entry;
      return combinedAnswer(request, 'weighted', winner![1].first.text, {
        mode: 'vote',
        winner: winner![0],
        tally: Object.fromEntries([...tally].map(([k, v]) => [k, v.weight])),
      });
    },
  };
}
