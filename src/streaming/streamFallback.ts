import { catchError, concat, defer, filter, map, of, throwError, type Observable, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { toModelError, type ModelError } from '../core/errors.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import type { Attempt } from '../core/response.js';
import type { StreamEvent, StreamingModel } from '../core/stream.js';
import { allStreamsFailed } from './internal/allStreamsFailed.js';
import { checkModels } from './internal/checkOption.js';
import { continuationRequest } from './internal/continuationRequest.js';
import { perStream } from './internal/perStream.js';
import { streamingModelId } from './internal/streamingModelId.js';

/**
 * What {@link streamFallback} does when a model fails after the consumer has seen some of its text:
 * - `before-first-token`: nothing; the error is final (a fallback only happens while no text was emitted);
 * - `restart`: emit a `reset` (the consumer discards the text so far) and start the next model afresh;
 * - `continue`: ask the next model to continue the partial answer (sent as the start of the assistant
 *   turn), so the consumer sees one uninterrupted text.
 */
export type StreamFallbackPolicy = 'before-first-token' | 'restart' | 'continue';

/** Every {@link StreamFallbackPolicy}, for option checks and config schemas. */
export const STREAM_FALLBACK_POLICIES: readonly StreamFallbackPolicy[] = ['before-first-token', 'restart', 'continue'];

/** Options of {@link streamFallback}. */
export interface StreamFallbackConfig {
  /** Default `before-first-token`: the consumer never sees text that is later discarded or written by two models. */
  readonly policy?: StreamFallbackPolicy;
  /** Which errors move on to the next model. Default: the error's own `fallback` flag. */
  readonly on?: (error: ModelError) => boolean;
  /** Receives a `fallback` event (from, to, reason) each time the next model is tried. */
  readonly events?: EventBus;
  readonly scheduler?: SchedulerLike;
}

/**
 * Tries each streaming model in turn; errors that arrive mid-stream
 * (`throttlingException`, `modelStreamErrorException`, a stall timeout) count
 * like any other. The final `completed` carries every failed attempt in its
 * `attempts`, its latency measured from the request's start; with `continue`
 * its text is the whole answer (the partial text, then the continuation).
 *
 * ```text
 * a:          -a-b-#              a's sub: ^----!
 * b:               --x-(C|)       b's sub:      ^---!
 * restart:    -a-b-R-x-(C|)       R: reset, C.text = 'x'
 * continue:   -a-b---x-(C|)       b asked to continue 'ab'; C.text = 'abx'
 * before-first-token:  -a-b-#     (a's error, as is)
 * ```
 *
 * Emits the deltas of every attempt it keeps, then one `completed`; a
 * non-fallback error as is; or, when every model failed, an `all-failed`
 * ModelError carrying every attempt.
 *
 * @example
 * ```ts
 * const m = streamFallback(withStallTimeout(claude, { betweenTokensMs: 2000 }), nova, { policy: 'continue' });
 * ```
 * @see withStallTimeout
 */
export function streamFallback(...models: StreamingModel[]): StreamingModel;
export function streamFallback(...args: [...models: StreamingModel[], config: StreamFallbackConfig]): StreamingModel;
export function streamFallback(models: readonly StreamingModel[], config?: StreamFallbackConfig): StreamingModel;
export function streamFallback(...args: unknown[]): StreamingModel {
  const [models, config] = parseArgs(args);
  checkModels('streamFallback', 'models', models);
  const policy = config.policy ?? 'before-first-token';
  if (!STREAM_FALLBACK_POLICIES.includes(policy)) throw new TypeError(`streamFallback: policy must be one of ${STREAM_FALLBACK_POLICIES.join(', ')}, got ${String(policy)}`);
  if (config.on !== undefined && typeof config.on !== 'function') throw new TypeError('streamFallback: on must be a function');
  const on = config.on ?? ((e: ModelError) => e.fallback);
  const events = config.events ?? NO_EVENTS;
  const scheduler = schedulerOf(config);
  const ids = models.map((m, i) => streamingModelId(m, `streamFallback[${i}]`));

  return perStream((request) => {
    const start = scheduler.now();
    const trail: Attempt[] = [];
    const errors: ModelError[] = [];
    let text = ''; // what the consumer holds since the last reset

    const attempt = (i: number, prefix: string): Observable<StreamEvent> =>
      defer(() => {
        const began = scheduler.now();
        const { request: next, dropLeadingSpace } = prefix === '' ? { request, dropLeadingSpace: false } : continuationRequest(request, prefix);
        let kept = prefix; // the answer so far, as the consumer has it
        let trimStart = dropLeadingSpace;
        return of(next).pipe(
          models[i]!,
          map((event): StreamEvent | undefined => {
            if (event.type === 'reset') {
              kept = text = '';
              return event;
            }
            if (event.type === 'delta') {
              const delta = trimStart ? event.text.trimStart() : event.text;
              if (delta === '') return undefined;
              trimStart = false;
              text += delta;
              return delta === event.text ? event : { ...event, text: delta };
            }
            const response = event.response;
            const full = kept + (dropLeadingSpace && kept !== '' ? response.text.trimStart() : response.text);
            const whole = full === response.text ? response : { ...response, text: full, message: { role: 'assistant' as const, content: [{ text: full }] } };
            return { type: 'completed', response: { ...whole, latencyMs: scheduler.now() - start, attempts: [...trail, ...response.attempts] } };
          }),
          filter((event): event is StreamEvent => event !== undefined),
          catchError((raw: unknown) => {
            const error = toModelError(raw, { requestId: request.id });
            if (!on(error) || (policy === 'before-first-token' && text !== '')) return throwError(() => error);
            errors.push(error);
            trail.push(...(error.attempts ?? [{ modelId: error.modelId ?? ids[i]!, outcome: 'failure' as const, errorKind: error.kind, latencyMs: scheduler.now() - began }]));
            if (i + 1 === models.length) return throwError(() => allStreamsFailed('streamFallback', request.id, trail, errors));
            events.emit({ type: 'fallback', time: scheduler.now(), requestId: request.id, from: error.modelId ?? ids[i]!, to: ids[i + 1]!, reason: error.kind });
            if (policy === 'continue') return attempt(i + 1, text);
            if (text === '') return attempt(i + 1, '');
            text = '';
            return concat(of<StreamEvent>({ type: 'reset', requestId: request.id, modelId: error.modelId ?? ids[i]!, reason: error.kind }), attempt(i + 1, ''));
          }),
        );
      });
    return attempt(0, '');
  });
}

function parseArgs(args: readonly unknown[]): [readonly StreamingModel[], StreamFallbackConfig] {
  if (Array.isArray(args[0])) return [args[0] as readonly StreamingModel[], (args[1] ?? {}) as StreamFallbackConfig];
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object') return [args.slice(0, -1) as StreamingModel[], last as StreamFallbackConfig];
  return [args as StreamingModel[], {}];
}
