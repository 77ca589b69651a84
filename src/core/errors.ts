import type { Attempt } from './response.js';

/**
 * Every way an inference request can fail, as one closed set of kinds.
 * Each kind carries two policy flags: may the same model be asked again
 * (`retriable`), and should a fallback try another model (`fallback`).
 */
export const ERROR_KINDS = {
  throttled: { retriable: true, fallback: true },
  'quota-exceeded': { retriable: false, fallback: true },
  timeout: { retriable: true, fallback: true },
  unavailable: { retriable: true, fallback: true },
  'model-not-ready': { retriable: true, fallback: true },
  'model-error': { retriable: true, fallback: true },
  validation: { retriable: false, fallback: false },
  'access-denied': { retriable: false, fallback: true },
  'not-found': { retriable: false, fallback: true },
  'invalid-output': { retriable: true, fallback: true },
  'circuit-open': { retriable: false, fallback: true },
  'budget-exceeded': { retriable: false, fallback: true },
  'queue-full': { retriable: true, fallback: true },
  guardrail: { retriable: false, fallback: false },
  cancelled: { retriable: false, fallback: false },
  'all-failed': { retriable: false, fallback: false },
} as const satisfies Record<string, { retriable: boolean; fallback: boolean }>;

/** The tag of a {@link ModelError}. */
export type ModelErrorKind = keyof typeof ERROR_KINDS;

/** All kinds, in declaration order (handy for tables and property tests). */
export const MODEL_ERROR_KINDS = Object.keys(ERROR_KINDS) as readonly ModelErrorKind[];

/** Structured payload of a {@link ModelError}; never holds credentials. */
export interface ModelErrorInfo {
  /** The model that failed, when one did. */
  readonly modelId?: string;
  /** The request that failed. */
  readonly requestId?: string;
  /** Name of the underlying exception (e.g. `ThrottlingException`) or network code. */
  readonly source?: string;
  /** HTTP status the service answered with, when known. */
  readonly httpStatus?: number;
  /** Server hint for when to try again (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  /** For `validation` and `invalid-output`: the io-ts path report, one line per problem. */
  readonly details?: readonly string[];
  /** For `all-failed` (and anything that tried several models): every attempt made. */
  readonly attempts?: readonly Attempt[];
  /** Override the kind's default `retriable` flag. */
  readonly retriable?: boolean;
  /** Override the kind's default `fallback` flag. */
  readonly fallback?: boolean;
  /** The original error, kept for debugging; not serialised. */
  readonly cause?: unknown;
}

/**
 * The one error type every rx-bedrock operator emits. Discriminate on `kind`.
 *
 * @example
 * ```ts
 * invoke(model, 'hi').pipe(catchError((e) => isModelError(e) && e.kind === 'throttled' ? of(cached) : throwError(() => e)));
 * ```
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly kind: ModelErrorKind;
  readonly retriable: boolean;
  readonly fallback: boolean;
  readonly modelId?: string;
  readonly requestId?: string;
  readonly source?: string;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly details?: readonly string[];
  readonly attempts?: readonly Attempt[];

  constructor(kind: ModelErrorKind, message: string, info: ModelErrorInfo = {}) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.kind = kind;
    this.retriable = info.retriable ?? ERROR_KINDS[kind].retriable;
    this.fallback = info.fallback ?? ERROR_KINDS[kind].fallback;
    if (info.modelId !== undefined) this.modelId = info.modelId;
    if (info.requestId !== undefined) this.requestId = info.requestId;
    if (info.source !== undefined) this.source = info.source;
    if (info.httpStatus !== undefined) this.httpStatus = info.httpStatus;
    if (info.retryAfterMs !== undefined) this.retryAfterMs = info.retryAfterMs;
    if (info.details !== undefined) this.details = info.details;
    if (info.attempts !== undefined) this.attempts = info.attempts;
  }

  /** A plain, serialisable view (for JSONL results, logs and events). */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      retriable: this.retriable,
      fallback: this.fallback,
      modelId: this.modelId,
      requestId: this.requestId,
      source: this.source,
      httpStatus: this.httpStatus,
      retryAfterMs: this.retryAfterMs,
      details: this.details,
      attempts: this.attempts,
    };
  }
}

/** Type guard for {@link ModelError}, optionally of one kind. */
export function isModelError(value: unknown, kind?: ModelErrorKind): value is ModelError {
  return value instanceof ModelError && (kind === undefined || value.kind === kind);
}

/**
 * Anything thrown inside an operator as a {@link ModelError}: ModelErrors pass
 * through, anything else becomes `model-error` with the original as `cause`.
 */
export function toModelError(error: unknown, info: ModelErrorInfo = {}): ModelError {
  if (isModelError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError('model-error', message, { ...info, cause: error });
}
