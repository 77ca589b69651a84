import { catchError, map, of, type Observable } from 'rxjs';
import { invoke, type Model } from '../core/model.js';
import { lastUserText, type InferenceRequest } from '../core/request.js';
import { normalizeAnswer } from './combiners/vote.js';

/**
 * A {@link Classifier} asking an LLM to pick one of `labels` for the request.
 * The answer is matched leniently (case, punctuation, a label inside a
 * sentence); an answer naming no label, or a failed call, gives `undefined`,
 * so the router takes its default route.
 *
 * @example
 * ```ts
 * route({ classify: modelClassifier(novaMicro, ['code', 'math', 'chat']), routes, default: 'chat' });
 * ```
 */
export function modelClassifier(model: Model, labels: readonly string[]): (request: InferenceRequest) => Observable<string | undefined> {
  if (typeof model !== 'function') throw new TypeError('modelClassifier: model must be a Model (an operator function)');
  if (!Array.isArray(labels as unknown) || labels.length === 0 || labels.some((l) => typeof l !== 'string' || l.trim() === '')) {
    throw new TypeError('modelClassifier: labels must be a non-empty array of non-empty strings');
  }
  const byLength = [...labels].sort((a, b) => b.length - a.length);
  const pick = (answer: string): string | undefined => {
    const text = normalizeAnswer(answer).replace(/^["'`]+|["'`]+$/g, '');
    return labels.find((l) => l.toLowerCase() === text) ?? byLength.find((l) => new RegExp(`(?<![\\w-])${l.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text));
  };
  return (request) =>
    invoke(model, {
      id: request.id,
      prompt: `Classify the request below into exactly one of these labels: ${labels.join(', ')}.\nReply with the label only.\n\nRequest:\n${lastUserText(request)}`,
      inferenceConfig: { maxTokens: 16, temperature: 0 },
    }).pipe(
      map((response) => pick(response.text)),
      catchError(() => of(undefined)),
    );
}
