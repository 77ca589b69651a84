import { ModelError, type ModelErrorKind } from '../core/errors.js';

/**
 * How every failure the Bedrock client can raise maps to a {@link ModelErrorKind}:
 * the 12 modelled exceptions by name, then unknown exceptions by HTTP status,
 * then network error codes. Data, so the README can print it.
 */
export const ERROR_TABLE = {
  exceptions: {
    AccessDeniedException: 'access-denied',
    ConflictException: 'validation',
    InternalServerException: 'unavailable',
    ModelErrorException: 'model-error',
    ModelNotReadyException: 'model-not-ready',
    ModelStreamErrorException: 'model-error',
    ModelTimeoutException: 'timeout',
    ResourceNotFoundException: 'not-found',
    ServiceQuotaExceededException: 'quota-exceeded',
    ServiceUnavailableException: 'unavailable',
    ThrottlingException: 'throttled',
    ValidationException: 'validation',
  },
  httpStatus: {
    400: 'validation',
    401: 'access-denied',
    403: 'access-denied',
    404: 'not-found',
    408: 'timeout',
    424: 'model-error',
    429: 'throttled',
    500: 'unavailable',
    502: 'unavailable',
    503: 'unavailable',
    504: 'timeout',
  },
  /** Other statuses: 4xx is `validation`, 5xx `unavailable`. */
  otherStatus: { client: 'validation', server: 'unavailable' },
  network: {
    ECONNRESET: 'unavailable',
    ECONNREFUSED: 'unavailable',
    ECONNABORTED: 'unavailable',
    EPIPE: 'unavailable',
    ENOTFOUND: 'unavailable',
    EAI_AGAIN: 'unavailable',
    ETIMEDOUT: 'timeout',
    TimeoutError: 'timeout',
    ERR_HTTP2_STREAM_ERROR: 'unavailable',
    ERR_HTTP2_SESSION_ERROR: 'unavailable',
    ERR_HTTP2_GOAWAY_SESSION: 'unavailable',
    ERR_HTTP2_INVALID_SESSION: 'unavailable',
    ERR_HTTP2_STREAM_CANCEL: 'unavailable',
    Http2StreamAborted: 'unavailable',
    StreamTruncated: 'unavailable',
    AbortError: 'cancelled',
    // No credentials could be found: asking another model will not help, and it is not the model's fault.
    CredentialsProviderError: 'access-denied',
  },
} as const satisfies {
  exceptions: Record<string, ModelErrorKind>;
  httpStatus: Record<number, ModelErrorKind>;
  otherStatus: { client: ModelErrorKind; server: ModelErrorKind };
  network: Record<string, ModelErrorKind>;
};

/** Where an error happened, copied into the {@link ModelError}. */
export interface ClassifyContext {
  readonly modelId?: string;
  readonly requestId?: string;
  /** The scheduler's clock, to turn an HTTP-date `retry-after` into a delay. */
  readonly now?: number;
}

interface SdkLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { headers?: Record<string, string | undefined> };
}

/** Messages of the plain `Error`s the SDK's HTTP/2 handler and event-stream parser raise, by source name. */
const MESSAGE_SOURCES: readonly (readonly [RegExp, string])[] = [
  [/^HTTP\/2 stream is abnormally aborted|^Frame type id|http2 request did not get a response/, 'Http2StreamAborted'],
  [/^Truncated event message received/, 'StreamTruncated'],
];

function networkCode(error: SdkLike): string | undefined {
  for (let e: SdkLike | undefined = error, depth = 0; e && depth < 4; e = e.cause as SdkLike | undefined, depth++) {
    if (typeof e.code === 'string' && Object.hasOwn(ERROR_TABLE.network, e.code)) return e.code;
    if (typeof e.name === 'string' && Object.hasOwn(ERROR_TABLE.network, e.name)) return e.name;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  return MESSAGE_SOURCES.find(([pattern]) => pattern.test(message))?.[1];
}

/** `retry-after` (seconds or an HTTP date) or `x-amz-retry-after` (milliseconds), in milliseconds. */
function retryAfterMs(headers: Record<string, string | undefined> | undefined, now: number | undefined): number | undefined {
  const ms = Number(headers?.['x-amz-retry-after']);
  if (headers?.['x-amz-retry-after'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) && now !== undefined ? Math.max(0, date - now) : undefined;
}

/** `error` with the context's model and request ids where it has none. */
function withContext(error: ModelError, context: ClassifyContext): ModelError {
  const modelId = error.modelId ?? context.modelId;
  const requestId = error.requestId ?? context.requestId;
  if (modelId === error.modelId && requestId === error.requestId) return error;
  return new ModelError(error.kind, error.message, { ...error, modelId, requestId, retriable: error.retriable, fallback: error.fallback, cause: error.cause });
}

/** `throttlingException` (an in-stream exception type) names the same thing as `ThrottlingException`. */
const exceptionName = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Any error from `client.send` or from iterating a response stream, as one
 * {@link ModelError}: `source` (exception name or network code), `httpStatus`,
 * `retryAfterMs`, `modelId` and `requestId` kept; nothing else of the SDK
 * error (not its `$metadata`, never the command input) is copied.
 * A `ModelError` passes through, given the context's model and request ids if it lacks them.
 *
 * @example
 * ```ts
 * classifyError(new ThrottlingException({ message: 'Too many tokens', $metadata: {} }), { modelId }).kind; // 'throttled'
 * ```
 */
export function classifyError(error: unknown, context: ClassifyContext = {}): ModelError {
  if (error instanceof ModelError) return withContext(error, context);
  const e: SdkLike = typeof error === 'object' && error !== null ? (error as SdkLike) : { message: String(error) };
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  const info = { modelId: context.modelId, requestId: context.requestId, cause: error };
  const name = typeof e.name === 'string' ? exceptionName(e.name) : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const retryAfter = retryAfterMs(e.$response?.headers, context.now);
  const http = { httpStatus: status, retryAfterMs: retryAfter };
  if (Object.hasOwn(ERROR_TABLE.exceptions, name)) {
    return new ModelError(ERROR_TABLE.exceptions[name as keyof typeof ERROR_TABLE.exceptions], `${name}: ${message}`, { ...info, ...http, source: name });
  }
  const code = networkCode(e);
  if (code !== undefined) {
    // Missing credentials are missing for every model: trying the next one cannot help.
    const everyModel = code === 'CredentialsProviderError' ? { fallback: false } : {};
    return new ModelError(ERROR_TABLE.network[code as keyof typeof ERROR_TABLE.network], `${code}: ${message}`, { ...info, ...http, source: code, ...everyModel });
  }
  if (status !== undefined && status >= 300) {
    const kind =
      (ERROR_TABLE.httpStatus as Record<number, ModelErrorKind>)[status] ?? (status >= 500 ? ERROR_TABLE.otherStatus.server : ERROR_TABLE.otherStatus.client);
    return new ModelError(kind, `${name || `HTTP ${status}`}: ${message}`, { ...info, ...http, source: name || `HTTP ${status}` });
  }
  return new ModelError('model-error', message, { ...info, ...http, ...(name && name !== 'Error' ? { source: name } : {}) });
}
