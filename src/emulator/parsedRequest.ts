/** What the emulator needs from any inference request, whatever its wire format. */
export interface ParsedRequest {
  /** The text the responder answers: the last user turn. */
  readonly prompt: string;
  /** Input tokens billed: about 4 characters a token, plus {@link IMAGE_TOKENS} per image. */
  readonly inputTokens: number;
  /** The request's max output tokens, when it set one. */
  readonly maxTokens?: number;
  /** How many image blocks it carries (a `ValidationException` on text-only models). */
  readonly images: number;
}

/** Input tokens billed for one image. */
export const IMAGE_TOKENS = 1_000;

/** Tokens for `chars` characters of text (never less than 1 for a non-empty request). */
export function tokensOf(chars: number, images = 0): number {
  return Math.max(1, Math.ceil(chars / 4)) + images * IMAGE_TOKENS;
}

/** The JSON-schema style message Bedrock answers malformed native bodies with. */
export function malformed(detail: string): string {
  return `Malformed input request: ${detail}, please reformat your input and try again.`;
}

const TYPE_NAMES = { string: 'String', integer: 'Integer', number: 'Number', array: 'JSONArray', object: 'JSONObject' } as const;

/** A JSON type a native body field must have. */
export type FieldType = keyof typeof TYPE_NAMES;

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'JSONArray';
  if (value === null) return 'Null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'BigDecimal';
  if (typeof value === 'object') return 'JSONObject';
  return typeof value === 'string' ? 'String' : 'Boolean';
}

function matches(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/**
 * Checks a native body's required and optional top-level fields like Bedrock's
 * JSON-schema validation; returns the error message, or `undefined` when fine.
 */
export function checkFields(
  body: unknown,
  required: Readonly<Record<string, FieldType>>,
  optional: Readonly<Record<string, FieldType>> = {},
): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return malformed(`#: expected type: JSONObject, found: ${typeOf(body)}`);
  const record = body as Record<string, unknown>;
  for (const key in required) if (record[key] === undefined) return malformed(`#: required key [${key}] not found`);
  for (const [key, type] of [...Object.entries(required), ...Object.entries(optional)]) {
    const value = record[key];
    if (value !== undefined && !matches(value, type)) return malformed(`#/${key}: expected type: ${TYPE_NAMES[type]}, found: ${typeOf(value)}`);
  }
  const max = ['max_tokens', 'max_gen_len', 'max_tokens_to_sample'].find((k) => record[k] !== undefined);
  if (max !== undefined && (record[max] as number) < 1) return malformed(`#/${max}: ${String(record[max])} is not greater or equal to 1`);
  return undefined;
}
