import { map } from 'rxjs';
import { invoke, type Model } from '../../core/model.js';
import { lastUserText, type InferenceRequest } from '../../core/request.js';
import type { InferenceResponse } from '../../core/response.js';
import type { Combiner } from './combiner.js';
import { normalizeAnswer } from './vote.js';

/** Options of {@link judge}. */
export interface JudgeConfig {
  /** Writes the judge's prompt from the request and the candidate answers. */
  readonly prompt?: (request: InferenceRequest, answers: readonly InferenceResponse[]) => string;
}

/** The default judging prompt: the question, the numbered answers, and the instruction to pick or merge. */
export function judgePrompt(request: InferenceRequest, answers: readonly InferenceResponse[]): string {
  return [
    'Several assistants answered the same request. Reply with the single best answer, or merge them into one better answer. Reply with the answer only.',
    '',
    'Request:',
    lastUserText(request),
    '',
    'Answers:',
    ...answers.map((a, i) => `[${i + 1}] ${a.text}`),
  ].join('\n');
}

/**
 * A {@link Combiner} that asks `model` to pick or merge the members' answers.
 * The judge's call (its usage, price and attempt) is added to the ensemble's;
 * its failure fails the ensemble.
 *
 * @example
 * ```ts
 * ensemble([nova, llama, mistral], { combine: judge(claude) });
 * ```
 */
export function judge(model: Model, config: JudgeConfig = {}): Combiner {
  if (typeof model !== 'function') throw new TypeError('judge: model must be a Model (an operator function)');
  if (config.prompt !== undefined && typeof config.prompt !== 'function') throw new TypeError('judge: prompt must be a function');
  const prompt = config.prompt ?? judgePrompt;
  return {
    name: 'judge',
    key: (response) => normalizeAnswer(response.text),
    combine: (responses, request) =>
      invoke(model, { id: request.id, prompt: prompt(request, responses) }).pipe(
        map((verdict) => ({ ...verdict, details: { ...verdict.details, judge: verdict.modelId, candidates: responses.length } })),
      ),
  };
}
