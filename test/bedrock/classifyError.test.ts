import * as sdk from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { classifyError, ERROR_TABLE } from '../../src/bedrock/classifyError.js';
import { ModelError } from '../../src/core/errors.js';

const context = { modelId: 'amazon.nova-micro-v1:0', requestId: 'r1' };

type ExceptionClass = new (opts: { message: string; $metadata: object }) => Error;
const exceptionClass = (name: string) => (sdk as unknown as Record<string, ExceptionClass>)[name]!;

describe('classifyError', () => {
  it.each(Object.entries(ERROR_TABLE.exceptions))('%s -> %s', (name, kind) => {
    const error = new (exceptionClass(name))({ message: 'boom', $metadata: { httpStatusCode: 400, requestId: 'aws-1' } });
    const classified = classifyError(error, context);
    expect(classified).toBeInstanceOf(ModelError);
    expect(classified).toMatchObject({ kind, source: name, httpStatus: 400, modelId: context.modelId, requestId: 'r1' });
    expect(classified.message).toBe(`${name}: boom`);
    expect(classified.cause).toBe(error);
  });

  it('covers all twelve modelled exceptions', () => {
    expect(Object.keys(ERROR_TABLE.exceptions)).toHaveLength(12);
    for (const name of Object.keys(ERROR_TABLE.exceptions)) expect(exceptionClass(name), name).toBeTypeOf('function');
  });

  it('treats missing credentials as access-denied, so a fallback does not try every model with the same missing credentials', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(classifyError(error, context)).toMatchObject({ kind: 'access-denied', retriable: false, fallback: false, source: 'CredentialsProviderError' });
  });

  it('maps an in-stream exception type (lowerCamel, unmodelled class) by name', () => {
    const error = Object.assign(new Error('{"message":"slow down"}'), { name: 'throttlingException' });
    expect(classifyError(error, context)).toMatchObject({ kind: 'throttled', source: 'ThrottlingException' });
  });

  it.each([
    [400, 'validation'],
    [401, 'access-denied'],
    [403, 'access-denied'],
    [404, 'not-found'],
    [408, 'timeout'],
    [418, 'validation'],
    [424, 'model-error'],
    [429, 'throttled'],
    [500, 'unavailable'],
    [503, 'unavailable'],
    [507, 'unavailable'],
  ])('an unknown exception with HTTP %i -> %s', (status, kind) => {
    const error = new sdk.BedrockRuntimeServiceException({ name: 'WeirdException', $fault: status < 500 ? 'client' : 'server', $metadata: { httpStatusCode: status } });
    expect(classifyError(error, context)).toMatchObject({ kind, httpStatus: status, source: 'WeirdException' });
  });

  it.each(Object.entries(ERROR_TABLE.network))('network %s -> %s', (code, kind) => {
    const byCode = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
    const byName = Object.assign(new Error('x'), { name: code });
    expect(classifyError(byCode, context)).toMatchObject({ kind, source: code });
    expect(classifyError(byName, context)).toMatchObject({ kind, source: code });
  });

  it('finds a network code in the cause chain', () => {
    const error = new Error('socket hang up', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    expect(classifyError(error, context)).toMatchObject({ kind: 'unavailable', source: 'ECONNRESET' });
  });

  it.each([
    ['HTTP/2 stream is abnormally aborted in mid-communication with result code 2.', 'Http2StreamAborted'],
    ['Frame type id 0 in stream id 1 has failed with code 1.', 'Http2StreamAborted'],
    ['Unexpected error: http2 request did not get a response', 'Http2StreamAborted'],
    ['Truncated event message received.', 'StreamTruncated'],
  ])('the SDK handler message %j is %s', (message, source) => {
    expect(classifyError(new Error(message), context)).toMatchObject({ kind: 'unavailable', source });
  });

  it('maps the SDK abort error to cancelled', () => {
    const error = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(classifyError(error, context)).toMatchObject({ kind: 'cancelled', retriable: false, fallback: false });
  });

  it('reads retry-after (seconds, HTTP date) and x-amz-retry-after (ms) from $response', () => {
    const withHeaders = (headers: Record<string, string>) =>
      Object.assign(new sdk.ThrottlingException({ message: 'slow', $metadata: { httpStatusCode: 429 } }), { $response: { statusCode: 429, headers } });
    expect(classifyError(withHeaders({ 'retry-after': '2' }), context).retryAfterMs).toBe(2000);
    expect(classifyError(withHeaders({ 'x-amz-retry-after': '1500' }), context).retryAfterMs).toBe(1500);
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(classifyError(withHeaders({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), { ...context, now }).retryAfterMs).toBe(3000);
    expect(classifyError(withHeaders({}), context).retryAfterMs).toBeUndefined();
    expect(classifyError(withHeaders({ 'retry-after': 'soon' }), context).retryAfterMs).toBeUndefined();
  });

  it('copies nothing of $metadata but the status, and no request input', () => {
    const error = Object.assign(new sdk.ValidationException({ message: 'bad', $metadata: { httpStatusCode: 400, requestId: 'aws-1', extendedRequestId: 'x' } }), {
      input: { accessKeyId: 'AKIDSECRET' },
    });
    const json = JSON.stringify(classifyError(error, context));
    expect(json).not.toContain('AKIDSECRET');
    expect(json).not.toContain('extendedRequestId');
    expect(json).not.toContain('$metadata');
  });

  it('passes a ModelError through and turns anything else into model-error', () => {
    const original = new ModelError('budget-exceeded', 'over', { modelId: 'm', requestId: 'q' });
    expect(classifyError(original, context)).toBe(original);
    const bare = new ModelError('validation', 'bad', { details: ['x: y'], retriable: true });
    expect(classifyError(bare, context)).toMatchObject({ kind: 'validation', message: 'bad', details: ['x: y'], retriable: true, ...context });
    expect(classifyError('just a string', context)).toMatchObject({ kind: 'model-error', message: 'just a string' });
    expect(classifyError(new TypeError('oops'), context)).toMatchObject({ kind: 'model-error', source: 'TypeError' });
  });
});
