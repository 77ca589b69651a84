import type { SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { NO_EVENTS, type EventBus } from '../core/events.js';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from '../core/request.js';

/** Options of {@link orchestrate} and {@link orchestrateFrom}; a bare number is `concurrency`. */
export interface OrchestrateConfig {
  /** Requests in flight at once. Default 16. */
  readonly concurrency?: number;
  /**
   * Emit outcomes in input order. Concurrency then counts requests started and
   * not yet emitted, so a slow head holds back at most `concurrency` requests.
   */
  readonly ordered?: boolean;
  /** One deadline for everything the model does for a request (retries and fallbacks included): a `timeout` Left past it. */
  readonly deadlineMs?: number;
  /** Clock for deadlines, event times and latencies. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Where `request-started` and `request-completed` go. */
  readonly events?: EventBus;
  /** A label for events and metrics (e.g. the strategy's name). */
  readonly strategy?: string;
  /**
   * Push sources only: requests that may wait for a slot. Past it, each new
   * request gets a `queue-full` Left at once. Default 100,000; `Infinity` for no bound.
   */
  readonly maxQueue?: number;
  /** Largest request accepted (text, messages, image and document bytes); past it, a `validation` Left. Default {@link DEFAULT_REQUEST_LIMITS}. */
  readonly limits?: Partial<RequestLimits>;
  /** Put the request's text into `request-started` events. Default false: prompts stay out of events. */
  readonly includeContent?: boolean;
}

/** An {@link OrchestrateConfig} with its defaults applied. */
export interface ResolvedOrchestrateConfig {
  readonly concurrency: number;
  readonly ordered: boolean;
  readonly deadlineMs: number | undefined;
  readonly scheduler: SchedulerLike;
  readonly events: EventBus;
  readonly strategy: string | undefined;
  readonly maxQueue: number;
  readonly limits: RequestLimits;
  readonly includeContent: boolean;
}

/** Default `concurrency`. */
export const DEFAULT_CONCURRENCY = 16;
/** Default `maxQueue`. */
export const DEFAULT_MAX_QUEUE = 100_000;

/** Checks options and applies defaults; a bad option throws a `TypeError` naming it. */
export function resolveOrchestrateConfig(options: number | OrchestrateConfig | undefined): ResolvedOrchestrateConfig {
  const config: OrchestrateConfig = typeof options === 'number' ? { concurrency: options } : (options ?? {});
  if (typeof config !== 'object' || config === null) throw new TypeError('orchestrate: options must be a number or an OrchestrateConfig object');
  const concurrency = config.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`orchestrate: concurrency must be a positive integer, got ${String(concurrency)}`);
  }
  const { deadlineMs, maxQueue = DEFAULT_MAX_QUEUE, ordered = false, strategy, events = NO_EVENTS } = config;
  if (deadlineMs !== undefined && !(typeof deadlineMs === 'number' && Number.isFinite(deadlineMs) && deadlineMs > 0)) {
    throw new TypeError(`orchestrate: deadlineMs must be a positive finite number, got ${String(deadlineMs)}`);
  }
  if (!(typeof maxQueue === 'number' && maxQueue >= 0 && (Number.isSafeInteger(maxQueue) || maxQueue === Infinity))) {
    throw new TypeError(`orchestrate: maxQueue must be a non-negative integer or Infinity, got ${String(maxQueue)}`);
  }
  if (typeof ordered !== 'boolean') throw new TypeError(`orchestrate: ordered must be a boolean, got ${String(ordered)}`);
  if (strategy !== undefined && (typeof strategy !== 'string' || strategy.length === 0)) {
    throw new TypeError('orchestrate: strategy must be a non-empty string');
  }
  if (typeof events !== 'object' || events === null || typeof events.emit !== 'function') {
    throw new TypeError('orchestrate: events must be an EventBus (with an emit function)');
  }
  if (config.scheduler !== undefined && typeof config.scheduler.now !== 'function') {
    throw new TypeError('orchestrate: scheduler must be a SchedulerLike');
  }
  const limits = { ...DEFAULT_REQUEST_LIMITS, ...config.limits };
  for (const [name, value] of Object.entries(limits)) {
    if (!(Number.isSafeInteger(value) && value >= 0)) throw new TypeError(`orchestrate: limits.${name} must be a non-negative integer, got ${String(value)}`);
  }
  const includeContent = config.includeContent ?? false;
  if (typeof includeContent !== 'boolean') throw new TypeError(`orchestrate: includeContent must be a boolean, got ${String(includeContent)}`);
  return { concurrency, ordered, deadlineMs, scheduler: schedulerOf(config), events, strategy, maxQueue, limits, includeContent };
}
