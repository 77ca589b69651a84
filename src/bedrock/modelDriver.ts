import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { decodeWith } from '../core/codecs.js';
import { ModelError } from '../core/errors.js';
import { estimateInputTokens, type InferenceConfig, type InferenceRequest } from '../core/request.js';
import type { StopReason, Usage } from '../core/response.js';
import type { CallAbort } from './callAbort.js';
import type { DecodedChunk } from './families/familyCodec.js';

/** Which Bedrock API a model operator calls. */
export type BedrockApi = 'converse' | 'invoke';

/** A whole answer, decoded. */
export interface DriverResult {
  readonly text: string;
  readonly stopReason: StopReason;
  readonly usage: Usage;
}

/**
 * One model behind one API, as two Promise-returning calls the operators wrap.
 * Both throw what the SDK throws (classified by the caller) or an
 * `invalid-output` {@link ModelError} for an answer that does not decode.
 */
export interface ModelDriver {
  readonly api: BedrockApi;
  /** One unary call, aborted by `signal` (the SDK's `abortSignal`). */
  send(request: InferenceRequest, signal: CallAbort): Promise<DriverResult>;
  /** Opens a stream and yields its decoded events. */
  open(request: InferenceRequest, signal: AbortSignal): Promise<AsyncIterable<DecodedChunk>>;
}

/** Model options every driver applies: defaults under the request's own. */
export interface DriverDefaults {
  readonly inferenceConfig?: InferenceConfig;
  readonly system?: string;
}

/** The request's inference config over the model's defaults, and its system prompt or the default. */
export function effectiveConfig(request: InferenceRequest, defaults: DriverDefaults): { inferenceConfig: InferenceConfig; system?: string } {
  const system = request.system ?? defaults.system;
  const inferenceConfig = { ...defaults.inferenceConfig, ...request.inferenceConfig };
  return system === undefined ? { inferenceConfig } : { inferenceConfig, system };
}

/** The decoded value, or an `invalid-output` {@link ModelError} carrying the path report. */
export function orInvalidOutput<A>(decoded: Either<string[], A>, modelId: string, requestId: string, what: string): A {
  if (isLeft(decoded)) {
    throw new ModelError('invalid-output', `${modelId}: ${what} does not decode: ${decoded.left.join('; ')}`, {
      modelId,
      requestId,
      details: decoded.left,
    });
  }
  return decoded.right;
}

/**
 * `value` as `codec`'s type, or an `invalid-output` {@link ModelError}. Checks with
 * `codec.is` first (no contexts, no `Either`): only for codecs whose `decode`
 * returns its input unchanged (no defaults, no transforms), so both paths agree.
 */
export function checkOutput<A>(codec: t.Decoder<unknown, A> & { is: (u: unknown) => u is A }, value: unknown, modelId: string, requestId: string, what: string): A {
  return codec.is(value) ? value : orInvalidOutput(decodeWith(codec, value), modelId, requestId, what);
}

/**
 * Usage where the model reported none (a family whose body has no counts and a
 * response without the token-count headers): 4 characters a token, as
 * Bedrock's quota docs assume. Reported counts always win.
 */
export function completeUsage(reported: Partial<Usage> | undefined, request: InferenceRequest, text: string): Usage {
  return {
    inputTokens: reported?.inputTokens ?? estimateInputTokens(request),
    outputTokens: reported?.outputTokens ?? Math.ceil(text.length / 4),
  };
}
