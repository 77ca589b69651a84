import { ModelError } from '../../core/errors.js';
import { firstNumber, tidy } from '../internal/parseNumber.js';
import { combinedAnswer, type Combiner } from './combiner.js';

/**
 * A {@link Combiner} for numeric answers: the mean of the first number in each
 * answer (`"about 42"` counts as 42). Answers without a number are left out
 * (listed in `details.ignored`); none at all is an `invalid-output` error.
 *
 * @example
 * ```ts
 * ensemble([a, b, c], { combine: average() }); // "10", "about 12", "14 units" → "12"
 * ```
 */
export function average(): Combiner {
  return {
    name: 'average',
    key: (response) => String(firstNumber(response.text) ?? response.text.trim()),
    combine: (responses, request) => {
      const values = responses.flatMap((r) => {
        const value = firstNumber(r.text);
        return value === undefined ? [] : [{ modelId: r.modelId, value }];
      });
      if (values.length === 0) {
        throw new ModelError('invalid-output', 'average: no answer holds a number', { requestId: request.id, details: responses.map((r) => `${r.modelId}: no number in the answer`) });
      }
      const mean = tidy(values.reduce((sum, v) => sum + v.value, 0) / values.length);
      return combinedAnswer(request, 'average', String(mean), {
        mean,
        values,
        ignored: responses.filter((r) => firstNumber(r.text) === undefined).map((r) => r.modelId),
      });
    },
  };
}
