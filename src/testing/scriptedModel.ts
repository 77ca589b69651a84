import { defer, map, mergeMap, NEVER, of, tap, throwError, timer, type Observable, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { callRecorder } from './callRecorder.js';
import { ModelError, type ModelErrorKind } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Model } from '../core/model.js';
import { modelFromCall } from '../core/modelCall.js';
import { estimateInputTokens, type InferenceRequest } from '../core/request.js';
import { assistantMessage, type InferenceResponse, type Usage } from '../core/response.js';

/** One scripted call: after `after` virtual ms, reply with `reply` or fail with `error`. */
export interface ScriptStep {
  /** Virtual milliseconds before the reply or error; 0 or absent answers synchronously. */
  readonly after?: number;
  /** The answer's text (default `"ok"`). */
  readonly reply?: string;
  /** Tokens billed (default: 4 characters a token in, one token a word out). */
  readonly usage?: Usage;
  readonly costUsd?: number;
  /** Fail with a ModelError of this kind instead of replying. */
  readonly error?: ModelErrorKind;
  /** With `error`: the Retry-After hint the error carries. */
  readonly retryAfterMs?: number;
  /** Never answer (until unsubscribed). */
  readonly hang?: boolean;
}

/** Steps consumed one per call (the last repeats), or a function of the request and the call's index. */
export type Script = readonly ScriptStep[] | ((request: InferenceRequest, callIndex: number) => ScriptStep);

/** What a scripted model saw of one call. `unsubscribedAt` is set when the caller cancelled before the answer. */
export interface ScriptedCall {
  readonly index: number;
  readonly request: InferenceRequest;
  readonly subscribedAt: number;
  endedAt?: number;
  end?: 'reply' | 'error' | 'unsubscribed';
}

/** A {@link Model} that follows a script, with the record of its calls. */
export type ScriptedModel = Model & { readonly modelId: string; readonly calls: readonly ScriptedCall[] };

export interface ScriptedModelConfig {
  readonly scheduler?: SchedulerLike;
  /** Where to emit `attempt-*` events (as a real model would), so `fastest`/`adaptive` can learn from it. */
  readonly events?: EventBus;
}

function stepFor(script: Script, request: InferenceRequest, index: number): ScriptStep {
  if (typeof script === 'function') return script(request, index);
  return script[Math.min(index, script.length - 1)]!;
}

/**
 * A model for tests: each call follows the next step of `script` in virtual
 * time, and `.calls` records when each call was subscribed and how it ended.
 *
 * ```text
 * script: [{ after: 3, reply: 'a' }, { after: 2, error: 'throttled' }]
 * call 0: ---a|
 * call 1: --#        (ModelError kind 'throttled')
 * call 2: --#        (the last step repeats)
 * ```
 *
 * @example
 * ```ts
 * const m = scriptedModel('m', [{ after: 5, error: 'timeout' }, { after: 5, reply: 'fine' }]);
 * invoke(withRetry(m, { count: 1 }), 'hi'); // m.calls.length === 2 afterwards
 * ```
 */
export function scriptedModel(modelId: string, script: Script, config: ScriptedModelConfig = {}): ScriptedModel {
  if (typeof script !== 'function' && script.length === 0) throw new TypeError('scriptedModel: script must have at least one step');
  const calls: ScriptedCall[] = [];
  const events = config.events ?? NO_EVENTS;
  const answer = (request: InferenceRequest): Observable<InferenceResponse> =>
    defer(() => {
      const scheduler = schedulerOf(config);
      const call: ScriptedCall = { index: calls.length, request, subscribedAt: scheduler.now() };
      calls.push(call);
      const step = stepFor(script, request, call.index);
      const after = step.after ?? 0;
      const recorder = callRecorder<'reply'>(call, modelId, 'scripted', events, scheduler);
      const { latencyMs } = recorder;
      const result: Observable<InferenceResponse> = step.error
        ? throwError(() => new ModelError(step.error!, `${modelId}: scripted ${step.error}`, {
            modelId,
            requestId: request.id,
            ...(step.retryAfterMs === undefined ? {} : { retryAfterMs: step.retryAfterMs }),
          }))
        : of(step.reply ?? 'ok').pipe(map((text) => response(modelId, request, text, step, latencyMs())));
      const delayed = step.hang ? NEVER : after > 0 ? timer(after, scheduler).pipe(mergeMap(() => result)) : result;
      return delayed.pipe(
        tap({
          next: (r) => recorder.succeeded('reply', r),
          error: (e: ModelError) => recorder.failed(e),
          unsubscribe: () => recorder.cancelled(),
        }),
      );
    });
  return Object.assign(modelFromCall(answer), { modelId, calls });
}

function response(modelId: string, request: InferenceRequest, text: string, step: ScriptStep, latencyMs: number): InferenceResponse {
  return {
    requestId: request.id,
    modelId,
    text,
    message: assistantMessage(text),
    stopReason: 'end_turn',
    usage: step.usage ?? { inputTokens: estimateInputTokens(request), outputTokens: text.split(/\s+/).filter(Boolean).length },
    latencyMs,
    ...(step.costUsd === undefined ? {} : { costUsd: step.costUsd }),
    attempts: [{ modelId, outcome: 'success', latencyMs }],
  };
}
