import { concat, defer, map, mergeMap, NEVER, of, tap, timer, type Observable, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { callRecorder } from './callRecorder.js';
import { ModelError, type ModelErrorKind } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import { estimateInputTokens, type InferenceRequest } from '../core/request.js';
import { assistantMessage, type InferenceResponse } from '../core/response.js';
import type { StreamEvent, StreamingModel } from '../core/stream.js';

/**
 * One scripted streaming call. Token `i` arrives `firstTokenMs + i * everyMs`
 * virtual ms after subscription (0 or absent: synchronously); `completed`
 * follows the last token in the same frame.
 */
export interface StreamScriptStep {
  /** Virtual ms before the first token (default 0). */
  readonly firstTokenMs?: number;
  /** The deltas, in order; the completed text is their concatenation. */
  readonly tokens: readonly string[];
  /** Virtual ms between tokens (default 0). */
  readonly everyMs?: number;
  /** Fail in the slot of token `tokens` (after that many tokens) with a ModelError of kind `error`. */
  readonly failAfter?: { readonly tokens: number; readonly error: ModelErrorKind };
  /** Go silent after this many tokens, until unsubscribed. */
  readonly stallAfter?: number;
  /** Price of the call, put on the completed response. */
  readonly costUsd?: number;
}

/** Steps consumed one per call (the last repeats), or a function of the request and the call's index. */
export type StreamScript = readonly StreamScriptStep[] | ((request: InferenceRequest, callIndex: number) => StreamScriptStep);

/** What a scripted streaming model saw of one call. */
export interface ScriptedStreamCall {
  readonly index: number;
  readonly request: InferenceRequest;
  readonly subscribedAt: number;
  endedAt?: number;
  end?: 'completed' | 'error' | 'unsubscribed';
  /** Deltas emitted before the call ended. */
  tokensEmitted: number;
}

/** A {@link StreamingModel} that follows a script, with the record of its calls. */
export type ScriptedStreamingModel = StreamingModel & { readonly modelId: string; readonly calls: readonly ScriptedStreamCall[] };

export interface ScriptedStreamingModelConfig {
  readonly scheduler?: SchedulerLike;
  /** Where to emit `attempt-*` events, as a real model would. */
  readonly events?: EventBus;
}

function stepFor(script: StreamScript, request: InferenceRequest, index: number): StreamScriptStep {
  if (typeof script === 'function') return script(request, index);
  return script[Math.min(index, script.length - 1)]!;
}

function checkStep(step: StreamScriptStep, where: string): void {
  if (!Array.isArray(step.tokens)) throw new TypeError(`scriptedStreamingModel: ${where}.tokens must be an array of strings`);
  for (const key of ['firstTokenMs', 'everyMs', 'stallAfter'] as const) {
    const v = step[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new TypeError(`scriptedStreamingModel: ${where}.${key} must be an integer ≥ 0, got ${String(v)}`);
  }
  if (step.failAfter !== undefined && (!Number.isInteger(step.failAfter.tokens) || step.failAfter.tokens < 0)) {
    throw new TypeError(`scriptedStreamingModel: ${where}.failAfter.tokens must be an integer ≥ 0, got ${String(step.failAfter.tokens)}`);
  }
  if (step.failAfter !== undefined && step.stallAfter !== undefined) throw new TypeError(`scriptedStreamingModel: ${where} cannot have both failAfter and stallAfter`);
}

/**
 * A streaming model for tests: each call follows the next step of `script` in
 * virtual time, and `.calls` records when each call was subscribed, how it
 * ended and how many tokens it emitted.
 *
 * ```text
 * script: [{ firstTokenMs: 2, everyMs: 1, tokens: ['a', 'b'] }, { firstTokenMs: 1, everyMs: 1, tokens: ['x', 'y'], failAfter: { tokens: 1, error: 'throttled' } }]
 * call 0: --a(bC|)     C: completed, text 'ab'
 * call 1: -x#          (ModelError kind 'throttled', in token y's slot)
 * ```
 *
 * @example
 * ```ts
 * const m = scriptedStreamingModel('m', [{ firstTokenMs: 50, everyMs: 10, tokens: ['Hel', 'lo'], stallAfter: 1 }]);
 * of(toRequest('hi')).pipe(withStallTimeout(m, { betweenTokensMs: 100 })); // 'Hel', then a timeout at 150
 * ```
 */
export function scriptedStreamingModel(modelId: string, script: StreamScript, config: ScriptedStreamingModelConfig = {}): ScriptedStreamingModel {
  if (typeof script !== 'function') {
    if (script.length === 0) throw new TypeError('scriptedStreamingModel: script must have at least one step');
    script.forEach((step, i) => checkStep(step, `script[${i}]`));
  }
  const calls: ScriptedStreamCall[] = [];
  const events = config.events ?? NO_EVENTS;
  const answer = (request: InferenceRequest): Observable<StreamEvent> =>
    defer(() => {
      const scheduler = schedulerOf(config);
      const call: ScriptedStreamCall = { index: calls.length, request, subscribedAt: scheduler.now(), tokensEmitted: 0 };
      calls.push(call);
      const step = stepFor(script, request, call.index);
      if (typeof script === 'function') checkStep(step, `script(request, ${call.index})`);
      const recorder = callRecorder<'completed'>(call, modelId, 'scripted-stream', events, scheduler);
      const { latencyMs } = recorder;
      const first = step.firstTokenMs ?? 0;
      const every = step.everyMs ?? 0;
      const after = (ms: number) => (ms > 0 ? timer(ms, scheduler) : of(0));
      const slot = (i: number) => after(i === 0 ? first : every);
      const emitted = Math.min(step.failAfter?.tokens ?? step.stallAfter ?? step.tokens.length, step.tokens.length);
      const deltas = step.tokens.slice(0, emitted).map((text, i) =>
        slot(i).pipe(map((): StreamEvent => ({ type: 'delta', requestId: request.id, modelId, text }))),
      );
      const ending: Observable<StreamEvent> = step.failAfter
        ? slot(emitted).pipe(
            map(() => {
              throw new ModelError(step.failAfter!.error, `${modelId}: scripted ${step.failAfter!.error} after ${emitted} tokens`, { modelId, requestId: request.id });
            }),
          )
        : step.stallAfter !== undefined
          ? NEVER
          : (emitted === 0 ? slot(0) : of(0)).pipe(
              map((): StreamEvent => ({ type: 'completed', response: response(modelId, request, step, latencyMs()) })),
            );
      return concat(...deltas, ending).pipe(
        tap({
          next: (e) => {
            if (e.type === 'delta') call.tokensEmitted++;
            else if (e.type === 'completed') recorder.succeeded('completed', e.response);
          },
          error: (e: ModelError) => recorder.failed(e),
          unsubscribe: () => recorder.cancelled(),
        }),
      );
    });
  const model = ((source: Observable<InferenceRequest>) => source.pipe(mergeMap(answer))) as ScriptedStreamingModel;
  return Object.assign(model, { modelId, calls });
}

function response(modelId: string, request: InferenceRequest, step: StreamScriptStep, latencyMs: number): InferenceResponse {
  const text = step.tokens.join('');
  return {
    requestId: request.id,
    modelId,
    text,
    message: assistantMessage(text),
    stopReason: 'end_turn',
    usage: { inputTokens: estimateInputTokens(request), outputTokens: step.tokens.length },
    latencyMs,
    ...(step.costUsd === undefined ? {} : { costUsd: step.costUsd }),
    attempts: [{ modelId, outcome: 'success', latencyMs }],
  };
}
