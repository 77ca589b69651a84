import { Subject, type Observable } from 'rxjs';
import type { ModelErrorKind } from './errors.js';
import type { Usage } from './response.js';

/** Fields every event has: when it happened (scheduler clock, ms) and for which request. */
interface EventBase {
  readonly time: number;
  readonly requestId: string;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Everything observable in rx-bedrock, as one closed union on one stream.
 * Events never carry credentials; prompt and answer text only when a producer
 * was created with `includeContent: true` (the optional `content` fields).
 */
export type RuntimeEvent =
  | (EventBase & { readonly type: 'request-started'; readonly strategy?: string; readonly content?: string })
  | (EventBase & {
      readonly type: 'request-completed';
      readonly strategy?: string;
      readonly ok: boolean;
      readonly modelId?: string;
      readonly errorKind?: ModelErrorKind;
      readonly latencyMs: number;
      readonly usage?: Usage;
      readonly costUsd?: number;
    })
  | (EventBase & { readonly type: 'attempt-started'; readonly modelId: string; readonly api: string })
  | (EventBase & {
      readonly type: 'attempt-succeeded';
      readonly modelId: string;
      readonly latencyMs: number;
      readonly usage: Usage;
      readonly costUsd?: number;
      readonly content?: string;
    })
  | (EventBase & {
      readonly type: 'attempt-failed';
      readonly modelId: string;
      readonly latencyMs: number;
      readonly errorKind: ModelErrorKind;
      readonly message: string;
    })
  | (EventBase & { readonly type: 'attempt-cancelled'; readonly modelId: string; readonly latencyMs: number })
  | (EventBase & { readonly type: 'retry'; readonly attempt: number; readonly delayMs: number; readonly errorKind: ModelErrorKind; readonly modelId?: string })
  | (EventBase & { readonly type: 'fallback'; readonly from: string; readonly to: string; readonly reason: ModelErrorKind })
  | (EventBase & { readonly type: 'circuit-state'; readonly key: string; readonly from: CircuitState; readonly to: CircuitState })
  | (EventBase & { readonly type: 'throttled'; readonly key: string; readonly waitMs: number; readonly queued: boolean })
  | (EventBase & { readonly type: 'queued'; readonly key: string; readonly queueLength: number })
  | (EventBase & { readonly type: 'cache-hit'; readonly key: string; readonly shared: boolean })
  | (EventBase & { readonly type: 'hedge-fired'; readonly attempt: number; readonly modelId?: string })
  | (EventBase & { readonly type: 'budget-exceeded'; readonly key: string; readonly spentUsd: number; readonly spentTokens: number })
  | (EventBase & { readonly type: 'first-token'; readonly modelId: string; readonly ttftMs: number })
  | (EventBase & { readonly type: 'stream-stalled'; readonly modelId: string; readonly silentMs: number })
  | (EventBase & { readonly type: 'stream-completed'; readonly modelId: string; readonly tokensPerSecond: number })
  | (EventBase & { readonly type: 'store-degraded'; readonly store: string; readonly mode: 'fail-open' | 'fail-closed'; readonly message: string });

export type RuntimeEventType = RuntimeEvent['type'];
/** The event of one type. */
export type EventOf<T extends RuntimeEventType> = Extract<RuntimeEvent, { type: T }>;

/** Where producers put events and consumers read them. */
export interface EventBus {
  readonly events$: Observable<RuntimeEvent>;
  emit(event: RuntimeEvent): void;
}

/**
 * A bus over a `Subject`: hot, no replay, no buffering (bounded memory), and
 * costs one branch per event when nobody listens.
 */
export function createEventBus(): EventBus {
  const subject = new Subject<RuntimeEvent>();
  return {
    events$: subject.asObservable(),
    emit: (event) => {
      if (subject.observed) subject.next(event);
    },
  };
}

/** A bus that drops everything: the default where no bus is given. */
export const NO_EVENTS: EventBus = createEventBus();
