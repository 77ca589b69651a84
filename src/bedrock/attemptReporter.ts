import type { SchedulerLike } from 'rxjs';
import type { ModelError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { InferenceRequest } from '../core/request.js';
import { assistantMessage, type InferenceResponse } from '../core/response.js';
import { costOf, type CatalogEntry } from './catalog.js';
import { classifyError } from './classifyError.js';
import type { BedrockApi, DriverResult } from './modelDriver.js';

/** What an attempt is reported against. */
export interface AttemptReporterConfig {
  readonly modelId: string;
  readonly api: BedrockApi;
  readonly scheduler: SchedulerLike;
  readonly events: EventBus;
  readonly includeContent: boolean;
  readonly entry?: CatalogEntry;
}

/** Starts, ends and reports one model call: the clock, the response, the error and the events. */
export interface AttemptReporter {
  readonly modelId: string;
  /** Emits `attempt-started`; returns the start time. */
  start(request: InferenceRequest): number;
  /** Emits `attempt-succeeded`; returns the response. */
  succeed(request: InferenceRequest, started: number, result: DriverResult): InferenceResponse;
  /** Classifies `error`, emits `attempt-failed`; returns the {@link ModelError}. */
  fail(request: InferenceRequest, started: number, error: unknown): ModelError;
  /** Emits `attempt-cancelled`. */
  cancel(request: InferenceRequest, started: number): void;
}

/** The reporter for one model operator. */
export function attemptReporter(config: AttemptReporterConfig): AttemptReporter {
  const { modelId, api, scheduler, events, includeContent, entry } = config;
  return {
    modelId,
    start(request) {
      const time = scheduler.now();
      events.emit({ type: 'attempt-started', time, requestId: request.id, modelId, api });
      return time;
    },
    succeed(request, started, { text, stopReason, usage }) {
      const time = scheduler.now();
      const latencyMs = time - started;
      const cost = entry === undefined ? {} : { costUsd: costOf(entry, usage) };
      events.emit({
        type: 'attempt-succeeded',
        time,
        requestId: request.id,
        modelId,
        latencyMs,
        usage,
        ...cost,
        ...(includeContent ? { content: text } : {}),
      });
      return {
        requestId: request.id,
        modelId,
        text,
        message: assistantMessage(text),
        stopReason,
        usage,
        latencyMs,
        ...cost,
        attempts: [{ modelId, outcome: 'success', latencyMs }],
      };
    },
    fail(request, started, error) {
      const time = scheduler.now();
      const modelError = classifyError(error, { modelId, requestId: request.id, now: time });
      events.emit({
        type: 'attempt-failed',
        time,
        requestId: request.id,
        modelId,
        latencyMs: time - started,
        errorKind: modelError.kind,
        message: modelError.message,
      });
      return modelError;
    },
    cancel(request, started) {
      const time = scheduler.now();
      events.emit({ type: 'attempt-cancelled', time, requestId: request.id, modelId, latencyMs: time - started });
    },
  };
}
