import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { EXCEPTIONS, exceptionBody, type ExceptionName } from './exceptions.js';

/** Errors the service itself (not a model) sends: unknown routes and refused signatures. */
const SERVICE_ERRORS = {
  UnknownOperationException: { status: 404, message: 'The requested operation is not recognized by the service.' },
  MissingAuthenticationTokenException: { status: 403, message: 'Missing Authentication Token' },
  UnrecognizedClientException: { status: 403, message: 'The security token included in the request is invalid.' },
  InvalidSignatureException: { status: 403, message: 'The request signature we calculated does not match the signature you provided.' },
} as const;

/** Every error name the emulator can answer with: the twelve modelled exceptions and the service's own. */
export type ErrorName = ExceptionName | keyof typeof SERVICE_ERRORS;

/** A request from either protocol (HTTP/1.1 or the HTTP/2 compatibility API). */
export type AnyRequest = IncomingMessage | Http2ServerRequest;
/** A response to either protocol. */
export type AnyResponse = ServerResponse | Http2ServerResponse;

/** Sends a complete JSON reply with Bedrock's `x-amzn-requestid`. */
export function sendJson(res: AnyResponse, status: number, body: unknown, requestId: string, headers?: Record<string, string | number>): void {
  sendJsonText(res, status, JSON.stringify(body), requestId, headers);
}

/**
 * {@link sendJson} for a body already serialised. The body goes out as a
 * string, so Node writes the head and the body in one piece, without a copy
 * into a Buffer first.
 */
export function sendJsonText(res: AnyResponse, status: number, json: string, requestId: string, headers?: Record<string, string | number>): void {
  const head = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json, 'utf8'), 'x-amzn-requestid': requestId };
  res.writeHead(status, headers === undefined ? head : { ...head, ...headers });
  res.end(json, 'utf8');
}

/**
 * Sends an exception exactly as Bedrock does: its status, `x-amzn-errortype:
 * <Name>:http://internal.amazon.com/coral/com.amazon.bedrock/`, and `{"message": …}`.
 */
export function sendException(res: AnyResponse, name: ErrorName, requestId: string, message?: string): void {
  const known = name in EXCEPTIONS;
  const status = known ? EXCEPTIONS[name as ExceptionName].status : SERVICE_ERRORS[name as keyof typeof SERVICE_ERRORS].status;
  const body = known ? exceptionBody(name as ExceptionName, message) : { message: message ?? SERVICE_ERRORS[name as keyof typeof SERVICE_ERRORS].message };
  sendJson(res, status, body, requestId, { 'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/` });
}

/** Destroys the connection under a request (HTTP/2: its session; HTTP/1.1: its socket). */
export function destroyConnection(req: AnyRequest): void {
  const stream = (req as Http2ServerRequest).stream as Http2ServerRequest['stream'] | undefined;
  if (stream) stream.session?.destroy();
  else req.socket.destroy();
}

/**
 * Runs `fn`, and if it throws (a bug, never the client's fault) answers
 * `InternalServerException` or, once headers are out, drops the response: the
 * server never crashes on one request.
 */
export function guarded(res: AnyResponse, requestId: string, fn: () => void): void {
  try {
    fn();
  } catch {
    try {
      if (res.headersSent) res.destroy();
      else sendException(res, 'InternalServerException', requestId);
    } catch {
      res.destroy();
    }
  }
}
