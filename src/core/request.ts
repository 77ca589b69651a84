import * as t from 'io-ts';
import { randomUUID } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, integerIn, NonEmptyString, numberIn, strictType } from './codecs.js';
import { ModelError } from './errors.js';
import { isPlainTextRequest } from './plainTextRequest.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Raw bytes: a `Uint8Array`, or a base64 string (as in JSON and JSONL input). */
export const Bytes = new t.Type<Uint8Array, Uint8Array, unknown>(
  'bytes (Uint8Array or base64)',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => {
    if (u instanceof Uint8Array) return u.length > 0 ? t.success(u) : t.failure(u, c, 'expected non-empty bytes, got 0 bytes');
    if (typeof u === 'string' && u.length > 0 && BASE64.test(u)) return t.success(new Uint8Array(Buffer.from(u, 'base64')));
    return t.failure(u, c);
  },
  (a) => a,
);

export const ImageFormat = t.keyof({ png: null, jpeg: null, gif: null, webp: null }, '"png" | "jpeg" | "gif" | "webp"');
export const DocumentFormat = t.keyof(
  { pdf: null, csv: null, doc: null, docx: null, xls: null, xlsx: null, html: null, txt: null, md: null },
  'a document format (pdf, csv, doc, docx, xls, xlsx, html, txt, md)',
);

export const TextBlock = strictType('a text block', { text: t.string }, {});
export const ImageBlock = strictType(
  'an image block',
  { image: strictType('an image', { format: ImageFormat, source: strictType('an image source', { bytes: Bytes }, {}) }, {}) },
  {},
);
export const DocumentBlock = strictType(
  'a document block',
  {
    document: strictType(
      'a document',
      { format: DocumentFormat, name: NonEmptyString, source: strictType('a document source', { bytes: Bytes }, {}) },
      {},
    ),
  },
  {},
);
export const ContentBlock = t.union([TextBlock, ImageBlock, DocumentBlock], 'a content block ({ text } | { image } | { document })');
export type ContentBlock = t.TypeOf<typeof ContentBlock>;

export const Role = t.keyof({ user: null, assistant: null }, '"user" | "assistant"');
export const Message = strictType('a message', { role: Role, content: t.readonlyArray(ContentBlock, 'content blocks') }, {});
/** A Converse message: a role and its content blocks. */
export type Message = t.TypeOf<typeof Message>;

export const InferenceConfig = strictType(
  'an inference config',
  {},
  {
    maxTokens: integerIn(1, 1_000_000, 'an integer in [1, 1000000]'),
    temperature: numberIn(0, 1),
    topP: numberIn(0, 1),
    stopSequences: t.readonlyArray(t.string, 'an array of strings'),
  },
);
export type InferenceConfig = t.TypeOf<typeof InferenceConfig>;

const Metadata = t.record(t.string, t.union([t.string, t.number, t.boolean]), 'a record of strings, numbers and booleans');

/** The codec of a request object as callers give it (before the prompt/messages checks of {@link decodeRequest}). */
export const RequestObjectCodec = strictType(
  'a request',
  {},
  {
    id: NonEmptyString,
    messages: t.readonlyArray(Message, 'messages'),
    prompt: t.string,
    system: t.string,
    inferenceConfig: InferenceConfig,
    task: t.string,
    metadata: Metadata,
  },
);

/**
 * One inference request, in the Converse shape every model operator understands.
 * Build one with {@link toRequest} (which also accepts a bare prompt string).
 */
export interface InferenceRequest {
  /** Trace id; generated when absent. */
  readonly id: string;
  readonly messages: readonly Message[];
  readonly system?: string;
  readonly inferenceConfig?: InferenceConfig;
  /** A hint for routers and adaptive selection (e.g. `code`, `sentiment`). */
  readonly task?: string;
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
}

/** What {@link toRequest} accepts: a prompt string, or a request whose `id` is optional (or which uses `prompt` for a single user turn). */
export type RequestInput =
  | string
  | (Omit<InferenceRequest, 'id' | 'messages'> & { readonly id?: string; readonly messages?: readonly Message[]; readonly prompt?: string });

/** Limits on what a single request may hold. */
export interface RequestLimits {
  /** Longest accepted text across all blocks, in characters. Default 1,000,000. */
  readonly maxTextChars: number;
  /** Most messages in one request. Default 1,000. */
  readonly maxMessages: number;
  /** Largest total of image and document bytes. Default 20 MiB. */
  readonly maxBytes: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = { maxTextChars: 1_000_000, maxMessages: 1_000, maxBytes: 20 * 1024 * 1024 };

function validation(details: readonly string[]): ModelError {
  return new ModelError('validation', `invalid request: ${details.join('; ')}`, { details });
}

function checkLimits(request: InferenceRequest, limits: RequestLimits): readonly string[] {
  const problems: string[] = [];
  if (request.messages.length > limits.maxMessages) {
    problems.push(`messages: at most ${limits.maxMessages} messages, got ${request.messages.length}`);
  }
  let chars = request.system?.length ?? 0;
  let bytes = 0;
  for (const message of request.messages) {
    for (const block of message.content) {
      if ('text' in block) chars += block.text.length;
      else if ('image' in block) bytes += block.image.source.bytes.length;
      else bytes += block.document.source.bytes.length;
    }
  }
  if (chars > limits.maxTextChars) problems.push(`messages: at most ${limits.maxTextChars} characters of text, got ${chars}`);
  if (bytes > limits.maxBytes) problems.push(`messages: at most ${limits.maxBytes} bytes of images and documents, got ${bytes}`);
  return problems;
}

/** The request of decoded `fields`: its id and turns first, then the other fields, without `prompt`. */
function withoutPrompt(fields: t.TypeOf<typeof RequestObjectCodec>, id: string, messages: readonly Message[]): InferenceRequest {
  const { prompt: _prompt, messages: _messages, id: _id, ...rest } = fields;
  return { id, messages, ...rest };
}

/**
 * Decodes untrusted input into an {@link InferenceRequest}: a prompt string, or
 * an object with `messages` (or `prompt`). Fails with a `validation`
 * {@link ModelError} whose `details` name every bad field by path, e.g.
 * `messages[0].content[1].image.format: expected "png" | "jpeg" | "gif" | "webp", got "bmp"`.
 */
export function decodeRequest(input: unknown, limits: RequestLimits = DEFAULT_REQUEST_LIMITS): Either<ModelError, InferenceRequest> {
  if (typeof input === 'string') input = { prompt: input };
  let fields: t.TypeOf<typeof RequestObjectCodec>;
  if (typeof input === 'object' && input !== null && isPlainTextRequest(input)) fields = input;
  else {
    const decoded = decodeWith(RequestObjectCodec, input);
    if (isLeft(decoded)) return left(validation(decoded.left));
    fields = decoded.right;
  }
  const { prompt, messages, id } = fields;
  if (prompt !== undefined && messages !== undefined) return left(validation(['prompt: give either prompt or messages, not both']));
  const turns = messages ?? (prompt !== undefined ? [{ role: 'user' as const, content: [{ text: prompt }] }] : undefined);
  if (turns === undefined || turns.length === 0) return left(validation(['messages: expected at least one message, got nothing']));
  if (turns[0]!.role !== 'user') return left(validation(['messages[0].role: expected "user" (a conversation starts with the user), got "assistant"']));
  for (let i = 0; i < turns.length; i++) {
    if (turns[i]!.content.length === 0) return left(validation([`messages[${i}].content: expected at least one content block, got an array of 0`]));
  }
  const request = id !== undefined && !('prompt' in fields) ? { id, messages: turns, ...fields } : withoutPrompt(fields, id ?? randomUUID(), turns);
  const problems = checkLimits(request, limits);
  if (problems.length > 0) return left(validation(problems));
  return right(request);
}

/** Like {@link decodeRequest}, but throws the `validation` {@link ModelError}. */
export function toRequest(input: RequestInput | unknown, limits?: RequestLimits): InferenceRequest {
  const decoded = decodeRequest(input, limits);
  if (isLeft(decoded)) throw decoded.left;
  return decoded.right;
}

/** The request's text: every text block of every message, joined by newlines. */
export function requestText(request: InferenceRequest): string {
  const parts: string[] = [];
  for (const message of request.messages) for (const block of message.content) if ('text' in block) parts.push(block.text);
  return parts.join('\n');
}

/** The text of the last user turn: what most classifiers look at. */
export function lastUserText(request: InferenceRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role === 'user') return message.content.flatMap((b) => ('text' in b ? [b.text] : [])).join('\n');
  }
  return '';
}

/** True when any message holds an image block. */
export function hasImage(request: InferenceRequest): boolean {
  return request.messages.some((m) => m.content.some((b) => 'image' in b));
}

/** True when any message holds a document block. */
export function hasDocument(request: InferenceRequest): boolean {
  return request.messages.some((m) => m.content.some((b) => 'document' in b));
}

/** A rough token estimate (4 characters a token, as Bedrock's quota docs assume). */
export function estimateInputTokens(request: InferenceRequest): number {
  return Math.ceil(((request.system?.length ?? 0) + requestText(request).length) / 4);
}
