import type { ModelErrorKind } from './errors.js';
import type { Message } from './request.js';

/** Why the model stopped: Converse's `stopReason` values (families map onto them). */
export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened'
  | 'content_filtered'
  | 'model_context_window_exceeded';

/** Tokens billed for one call. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One model tried on behalf of a request: the trail a response or an `all-failed` error carries. */
export interface Attempt {
  readonly modelId: string;
  readonly outcome: 'success' | 'failure' | 'cancelled';
  /** Set when `outcome` is `failure`. */
  readonly errorKind?: ModelErrorKind;
  /** Time from the attempt's start to its end, on the scheduler's clock. */
  readonly latencyMs: number;
}

/** The result of one inference request. */
export interface InferenceResponse {
  readonly requestId: string;
  /** The model whose answer this is (for combined answers, the strategy's label, e.g. `ensemble(vote)`). */
  readonly modelId: string;
  readonly text: string;
  /** The assistant message as the model returned it. */
  readonly message: Message;
  readonly stopReason: StopReason;
  readonly usage: Usage;
  /** Time from the request's start to this response, on the scheduler's clock. */
  readonly latencyMs: number;
  /** Price of the tokens billed, when the model is in the catalog. */
  readonly costUsd?: number;
  /** Every model tried for this request, in order, this answer's model last. */
  readonly attempts: readonly Attempt[];
  /** Responses this one was made of: a pipeline's steps or an ensemble's members. */
  readonly parts?: readonly InferenceResponse[];
  /** Free-form details a strategy attaches (e.g. the pipeline step names, the vote tally). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Adds two usages. */
export function addUsage(a: Usage, b: Usage): Usage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}

/** Zero tokens. */
export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

/** An assistant message holding `text`. */
export function assistantMessage(text: string): Message {
  return { role: 'assistant', content: [{ text }] };
}
