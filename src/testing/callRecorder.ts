import type { SchedulerLike } from 'rxjs';
import type { ModelError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { InferenceRequest } from '../core/request.js';
import type { InferenceResponse } from '../core/response.js';

/** What a scripted model records of one call; `end` is set once, by the first way the call ends. */
export interface RecordedCall<End extends string> {
  readonly request: InferenceRequest;
  readonly subscribedAt: number;
  endedAt?: number;
  end?: End | 'error' | 'unsubscribed';
}

/**
 * Ends a scripted call's record and reports it as a Bedrock model operator
 * would: `attempt-started` at once, then one of `attempt-succeeded`,
 * `attempt-failed` or `attempt-cancelled`. Shared by the unary and streaming
 * scripted models so both report attempts the same way.
 */
export function callRecorder<End extends string>(call: RecordedCall<End>, modelId: string, api: string, events: EventBus, scheduler: SchedulerLike) {
  const requestId = call.request.id;
  events.emit({ type: 'attempt-started', time: call.subscribedAt, requestId, modelId, api });
  const finish = (end: End | 'error' | 'unsubscribed'): void => {
    if (call.end !== undefined) return;
    call.end = end;
    call.endedAt = scheduler.now();
  };
  const latencyMs = () => scheduler.now() - call.subscribedAt;
  return {
    succeeded(end: End, r: InferenceResponse): void {
      finish(end);
      events.emit({ type: 'attempt-succeeded', time: scheduler.now(), requestId, modelId, latencyMs: r.latencyMs, usage: r.usage, ...(r.costUsd === undefined ? {} : { costUsd: r.costUsd }) });
    },
    failed(e: ModelError): void {
      finish('error');
      events.emit({ type: 'attempt-failed', time: scheduler.now(), requestId, modelId, latencyMs: latencyMs(), errorKind: e.kind, message: e.message });
    },
    cancelled(): void {
      finish('unsubscribed');
      events.emit({ type: 'attempt-cancelled', time: scheduler.now(), requestId, modelId, latencyMs: latencyMs() });
    },
    latencyMs,
  };
}
