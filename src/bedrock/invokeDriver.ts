import * as t from 'io-ts';
import { InvokeModelCommand, InvokeModelWithResponseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { InferenceRequest } from '../core/request.js';
import type { Usage } from '../core/response.js';
import type { DecodedChunk, FamilyCodec } from './families/familyCodec.js';
import { completeUsage, effectiveConfig, orInvalidOutput, type DriverDefaults, type ModelDriver } from './modelDriver.js';

/** Bedrock merges these into the last chunk of every InvokeModelWithResponseStream (wire reference §3.4). */
const InvocationMetrics = t.type({ 'amazon-bedrock-invocationMetrics': t.type({ inputTokenCount: t.number, outputTokenCount: t.number }) });

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function parseJson(bytes: Uint8Array | undefined, what: string): Either<string[], unknown> {
  try {
    return right(JSON.parse(decoder.decode(bytes ?? new Uint8Array())));
  } catch (error) {
    return left([`${what}: expected JSON, got ${bytes?.length ?? 0} bytes that do not parse (${(error as Error).message})`]);
  }
}

/** `x-amzn-bedrock-input-token-count` and `-output-token-count`: real InvokeModel responses carry them, the SDK does not surface them. */
function headerUsage(headers: Record<string, string> | undefined): Partial<Usage> | undefined {
  const inputTokens = Number(headers?.['x-amzn-bedrock-input-token-count']);
  const outputTokens = Number(headers?.['x-amzn-bedrock-output-token-count']);
  if (!Number.isInteger(inputTokens) || !Number.isInteger(outputTokens) || headers?.['x-amzn-bedrock-input-token-count'] === '') return undefined;
  return { inputTokens, outputTokens };
}

/** A command whose raw response headers are kept: the middleware sits on this command only, never on the (possibly user-owned) client. */
function withHeaders(command: InvokeModelCommand): { command: InvokeModelCommand; headers: () => Record<string, string> | undefined } {
  let headers: Record<string, string> | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      headers = (result.response as { headers?: Record<string, string> }).headers;
      return result;
    },
    { step: 'build', name: 'rxBedrockResponseHeaders' },
  );
  return { command, headers: () => headers };
}

/**
 * InvokeModel / InvokeModelWithResponseStream for `modelId` through its
 * family's codec: the request is formatted by the codec, the answer decoded by it.
 */
export function invokeDriver(client: BedrockRuntimeClient, modelId: string, codec: FamilyCodec, defaults: DriverDefaults): ModelDriver {
  const body = (request: InferenceRequest) => encoder.encode(JSON.stringify(codec.formatBody(request, effectiveConfig(request, defaults))));
  return {
    api: 'invoke',
    async send(request, signal) {
      const { command, headers } = withHeaders(
        new InvokeModelCommand({ modelId, body: body(request), contentType: 'application/json', accept: 'application/json' }),
      );
      const output = await client.send(command, { abortSignal: signal });
      const json = orInvalidOutput(parseJson(output.body, 'body'), modelId, request.id, `the ${codec.family} body`);
      const decoded = orInvalidOutput(codec.decodeBody(json), modelId, request.id, `the ${codec.family} body`);
      return { ...decoded, usage: decoded.usage ?? completeUsage(headerUsage(headers()), request, decoded.text) };
    },
    async open(request, signal) {
      const output = await client.send(
        new InvokeModelWithResponseStreamCommand({ modelId, body: body(request), contentType: 'application/json', accept: 'application/json' }),
        { abortSignal: signal },
      );
      const stream = output.body ?? [];
      return (async function* (): AsyncGenerator<DecodedChunk> {
        for await (const event of stream) {
          if (event.chunk === undefined) continue;
          const json = orInvalidOutput(parseJson(event.chunk.bytes, 'chunk.bytes'), modelId, request.id, `a ${codec.family} chunk`);
          const chunk = orInvalidOutput(codec.decodeChunk(json), modelId, request.id, `a ${codec.family} chunk`);
          if (!InvocationMetrics.is(json)) yield chunk;
          else {
            const metrics = json['amazon-bedrock-invocationMetrics'];
            yield { ...chunk, usage: { inputTokens: metrics.inputTokenCount, outputTokens: metrics.outputTokenCount } };
          }
        }
      })();
    },
  };
}
