import { parseConverseBody } from './converseRequest.js';
import type { ModelFamily } from './families.js';
import { parseInvokeBody } from './familyRequests.js';
import type { ParsedRequest } from './parsedRequest.js';

/** The five Bedrock Runtime inference operations the emulator serves, by their path suffix. */
export type Operation = 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream' | 'count-tokens';

const MALFORMED_JSON = 'Malformed input request, please reformat your input and try again.';
const INVOKE_TYPES = new Set(['application/json', 'application/octet-stream', '*/*']);

function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === 'application/json') return contentType; // what every SDK sends: nothing to normalise
  return contentType?.split(';', 1)[0]!.trim().toLowerCase();
}

const MALFORMED_JSON_SENTINEL = Symbol('malformed');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return MALFORMED_JSON_SENTINEL;
  }
}

function invokeBody(family: ModelFamily | undefined, modelId: string, json: unknown): ParsedRequest | string {
  if (family === undefined) return `The model ${modelId} has no native body in the emulator; use Converse.`;
  return parseInvokeBody(family, json);
}

function countTokensBody(family: ModelFamily | undefined, modelId: string, json: unknown): ParsedRequest | string {
  const input = (json as { input?: { converse?: unknown; invokeModel?: { body?: unknown } } } | null)?.input;
  if (typeof input !== 'object' || input === null)
    return "1 validation error detected: Value null at 'input' failed to satisfy constraint: Member must not be null";
  if (input.converse !== undefined) return parseConverseBody(input.converse);
  const body = input.invokeModel?.body;
  if (typeof body !== 'string') return "1 validation error detected: Value null at 'input.invokeModel.body' failed to satisfy constraint: Member must not be null";
  const native = parseJson(Buffer.from(body, 'base64').toString('utf8'));
  return native === MALFORMED_JSON_SENTINEL ? MALFORMED_JSON : invokeBody(family, modelId, native);
}

/**
 * Checks an inference request's content type and body for `op` and extracts
 * what the simulation needs; returns the `ValidationException` message otherwise.
 * Converse-style operations need `application/json`; InvokeModel also takes
 * `application/octet-stream` (the SDK's default) or no content type.
 */
export function parseOperationBody(
  op: Operation,
  family: ModelFamily | undefined,
  modelId: string,
  contentType: string | undefined,
  body: Buffer,
): ParsedRequest | string {
  const type = mediaType(contentType);
  const native = op === 'invoke' || op === 'invoke-with-response-stream';
  if (native ? type !== undefined && !INVOKE_TYPES.has(type) : type !== 'application/json')
    return `The content type ${contentType ?? '(none)'} is not supported for this operation. Use application/json.`;
  const json = parseJson(body.toString('utf8'));
  if (json === MALFORMED_JSON_SENTINEL) return MALFORMED_JSON;
  if (op === 'count-tokens') return countTokensBody(family, modelId, json);
  return native ? invokeBody(family, modelId, json) : parseConverseBody(json);
}
