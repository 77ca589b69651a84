/**
 * The twelve exceptions Bedrock Runtime models, with the HTTP status and the
 * message the real service sends for each (see the wire reference §4.2, §4.3).
 */
export const EXCEPTIONS = {
  AccessDeniedException: { status: 403, message: "You don't have access to the model with the specified model ID." },
  ConflictException: { status: 400, message: 'The request conflicts with the current state of the resource.' },
  InternalServerException: { status: 500, message: 'The system encountered an unexpected error during processing. Try your request again.' },
  ModelErrorException: { status: 424, message: 'The model returned an error while processing the request.' },
  ModelNotReadyException: { status: 429, message: 'The model is not ready to serve inference requests. Try again later.' },
  ModelStreamErrorException: { status: 424, message: 'The model stream encountered an error while processing the request.' },
  ModelTimeoutException: { status: 408, message: 'Model has timed out in processing the request. Try your request again.' },
  ResourceNotFoundException: { status: 404, message: 'Could not resolve the foundation model from the provided model identifier.' },
  ServiceQuotaExceededException: { status: 400, message: 'Your request exceeds the service quota for your account.' },
  ServiceUnavailableException: { status: 503, message: 'Bedrock is unable to process your request.' },
  ThrottlingException: { status: 429, message: 'Too many requests, please wait before trying again.' },
  ValidationException: { status: 400, message: 'Malformed input request, please reformat your input and try again.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** Name of a modelled Bedrock Runtime exception, as in `x-amzn-errortype` and the SDK's `err.name`. */
export type ExceptionName = keyof typeof EXCEPTIONS;

/** All twelve names, in alphabetical order. */
export const EXCEPTION_NAMES = Object.keys(EXCEPTIONS) as readonly ExceptionName[];

/**
 * Exceptions Bedrock can send inside an event stream after the 200 (ConverseStream
 * and InvokeModelWithResponseStream; `ModelTimeoutException` only in the latter).
 */
export const STREAM_EXCEPTIONS = [
  'InternalServerException',
  'ModelStreamErrorException',
  'ModelTimeoutException',
  'ServiceUnavailableException',
  'ThrottlingException',
  'ValidationException',
] as const satisfies readonly ExceptionName[];

/** An exception that may arrive mid-stream. */
export type StreamExceptionName = (typeof STREAM_EXCEPTIONS)[number];

/** Exceptions that Bedrock only reports after the model has worked for a while (answered after the latency). */
export const LATE_EXCEPTIONS: ReadonlySet<ExceptionName> = new Set([
  'InternalServerException',
  'ModelErrorException',
  'ModelStreamErrorException',
  'ModelTimeoutException',
]);

/** `ThrottlingException` -> `throttlingException`: the `:exception-type` of an in-stream exception frame. */
export function streamExceptionType(name: ExceptionName): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** The JSON body Bedrock sends with an exception (members beyond `message` only where modelled). */
export function exceptionBody(name: ExceptionName, message: string = EXCEPTIONS[name].message): Record<string, unknown> {
  if (name === 'ModelErrorException') return { message, originalStatusCode: 500, resourceName: 'emulated-model' };
  if (name === 'ModelStreamErrorException') return { message, originalStatusCode: 500, originalMessage: message };
  return { message };
}
