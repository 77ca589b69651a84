import * as t from 'io-ts';
import { map, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../../core/codecs.js';
import { ModelError } from '../../core/errors.js';
import type { InferenceConfig, InferenceRequest } from '../../core/request.js';
import type { StopReason, Usage } from '../../core/response.js';
import type { ModelFamily } from './modelFamily.js';

/** What a family's body is built from besides the request: the effective inference config (model defaults under the request's) and system prompt. */
export interface BodyConfig {
  readonly inferenceConfig: InferenceConfig;
  readonly system?: string;
}

/** A whole InvokeModel answer in family-neutral terms. `usage` is absent when the family's body does not carry it (then the response headers are used). */
export interface DecodedBody {
  readonly text: string;
  readonly stopReason: StopReason;
  readonly usage?: Usage;
}

/** One InvokeModelWithResponseStream chunk in family-neutral terms: any of text, the stop reason, or (part of) the usage. */
export interface DecodedChunk {
  readonly text?: string;
  readonly stopReason?: StopReason;
  readonly usage?: Partial<Usage>;
}

/**
 * How one model family's native InvokeModel JSON is written and read. Decoders
 * are io-ts codecs; a `Left` holds the path report (one line per problem).
 */
export interface FamilyCodec {
  readonly family: ModelFamily;
  /** True for the foundation-model ids (no inference-profile prefix) this codec speaks for. */
  matches(modelId: string): boolean;
  /** The native request body; throws a `validation` {@link ModelError} for content the family cannot take. */
  formatBody(request: InferenceRequest, config: BodyConfig): Record<string, unknown>;
  decodeBody(json: unknown): Either<string[], DecodedBody>;
  decodeChunk(json: unknown): Either<string[], DecodedChunk>;
}

/** Sent where a family requires a token limit and none was configured. */
export const DEFAULT_MAX_TOKENS = 1024;

/** A nullable io-ts codec (`null` or absent both read as "not yet"). */
export function nullable<C extends t.Mixed>(codec: C): t.UnionC<[C, t.NullC, t.UndefinedC]> {
  return t.union([codec, t.null, t.undefined]);
}

/** A text-only turn for families whose prompt is plain text. */
export interface TextTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

/**
 * The request's messages as plain-text turns; an image or document block is a
 * `validation` error naming the family (use `api: 'converse'` or a model that takes them).
 */
export function textTurns(request: InferenceRequest, family: ModelFamily): readonly TextTurn[] {
  return request.messages.map((message, i) => ({
    role: message.role,
    text: message.content
      .map((block, j) => {
        if ('text' in block) return block.text;
        const kind = 'image' in block ? 'image' : 'document';
        throw new ModelError('validation', `${family} bodies take text only`, {
          requestId: request.id,
          details: [`messages[${i}].content[${j}].${kind}: the ${family} InvokeModel format takes text only; use api 'converse'`],
        });
      })
      .join('\n'),
  }));
}

/** Drops `undefined` values so bodies hold only the fields that were set. */
export function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** Maps a native stop reason through a table; unknown values are decode failures. */
export function stopReasonCodec(name: string, table: Readonly<Record<string, StopReason>>): t.Type<StopReason, string, unknown> {
  return new t.Type<StopReason, string, unknown>(
    name,
    (u): u is StopReason => typeof u === 'string',
    (u, c) => (typeof u === 'string' && Object.hasOwn(table, u) ? t.success(table[u]!) : t.failure(u, c)),
    (a) => a,
  );
}

/** Decodes `json` with `codec` and maps the result; failures are the path report. */
export function decodeAs<A, B>(codec: t.Decoder<unknown, A>, json: unknown, f: (a: A) => B): Either<string[], B> {
  return map(f)(decodeWith(codec, json));
}

/** The token counts a chunk carries, or `undefined` when it carries none (`null` counts are absent). */
export function partialUsage(inputTokens: number | null | undefined, outputTokens: number | null | undefined): Partial<Usage> | undefined {
  if (inputTokens == null && outputTokens == null) return undefined;
  return { ...(inputTokens == null ? {} : { inputTokens }), ...(outputTokens == null ? {} : { outputTokens }) };
}
