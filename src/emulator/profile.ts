import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { integerIn, NonNegativeInt, NonNegativeNumber, numberIn, PositiveInt, reportErrors, strictType } from '../core/codecs.js';
import { EXCEPTION_NAMES, STREAM_EXCEPTIONS, type ExceptionName } from './exceptions.js';

const Probability = numberIn(0, 1, 'a probability in [0, 1]');
const Ms = NonNegativeNumber;

/** How long a simulated model takes, in milliseconds: one fixed value or a distribution. */
export const LatencyDistributionCodec = t.union(
  [
    strictType('fixed latency', { kind: t.literal('fixed'), ms: Ms }, {}),
    strictType('uniform latency', { kind: t.literal('uniform'), minMs: Ms, maxMs: Ms }, {}),
    strictType('log-normal latency', { kind: t.literal('lognormal'), medianMs: Ms, sigma: NonNegativeNumber }, {}),
    strictType('heavy-tail latency (p of the calls take tailMs)', { kind: t.literal('tail'), baseMs: Ms, tailMs: Ms, p: Probability }, {}),
  ],
  'a latency distribution ({kind: fixed|uniform|lognormal|tail, ...})',
);
/** @see LatencyDistributionCodec */
export type LatencyDistribution = t.TypeOf<typeof LatencyDistributionCodec>;

const streamExceptionKeys = Object.fromEntries(STREAM_EXCEPTIONS.map((n) => [n, null])) as Record<(typeof STREAM_EXCEPTIONS)[number], null>;

const profileProps = {
  latency: LatencyDistributionCodec,
  tokensPerSecond: NonNegativeNumber,
  failures: strictType('failure rates per exception', {}, Object.fromEntries(EXCEPTION_NAMES.map((n) => [n, Probability])) as Record<ExceptionName, typeof Probability>),
  resetRate: Probability,
  malformedRate: Probability,
  accuracy: Probability,
  contextWindow: PositiveInt,
  textOnly: t.boolean,
  outputTokens: integerIn(1, 100_000),
};
const optionalProps = {
  firstTokenMs: LatencyDistributionCodec,
  streamFailure: strictType(
    'a mid-stream failure',
    { afterTokens: NonNegativeInt, exception: t.keyof(streamExceptionKeys, `one of ${STREAM_EXCEPTIONS.join(', ')}`), rate: Probability },
    {},
  ),
  stallAfterTokens: strictType('a stream stall', { afterTokens: NonNegativeInt, ms: Ms, rate: Probability }, {}),
  rpm: PositiveInt,
  tpm: PositiveInt,
};

/**
 * The io-ts codec of a complete {@link ModelProfile}; unknown keys are errors.
 */
export const ModelProfileCodec = strictType('a model profile', profileProps, optionalProps);

/**
 * How one simulated model behaves.
 *
 * - `latency`: time to the whole answer (non-streaming) or to the first token (streaming, unless `firstTokenMs`).
 * - `tokensPerSecond`: pacing of streamed tokens after the first (0 = as fast as possible).
 * - `failures`: probability per exception, drawn once per request (`ModelStreamErrorException` only on stream operations:
 *   HTTP 424 for InvokeModelWithResponseStream, in-stream for ConverseStream). Internal-server, model-error,
 *   model-timeout and model-stream errors come after the sampled latency; the others at once.
 * - `streamFailure`: with probability `rate`, an in-stream exception frame after `afterTokens` tokens.
 * - `stallAfterTokens`: with probability `rate`, the stream goes silent for `ms` after `afterTokens` tokens.
 * - `resetRate`: probability the connection is destroyed instead of answering.
 * - `malformedRate`: probability of a 200 whose body is not valid for the model family.
 * - `rpm` / `tpm`: requests and tokens (input + output) per sliding 60 s window; a request is refused with
 *   `ThrottlingException` when the window is full (`rpm`) or has no room for its input tokens (`tpm`).
 * - `accuracy`: probability the deterministic responder answers a checkable question right.
 * - `contextWindow`: input tokens over which `ValidationException`; `textOnly`: images are a `ValidationException`.
 * - `outputTokens`: length of free-text answers when the request sets no max tokens.
 */
export type ModelProfile = t.TypeOf<typeof ModelProfileCodec>;

/**
 * The io-ts codec of a patch to a profile, as accepted by `setProfile` and
 * `PUT /_emulator/models/{id}`: every key optional, `null` removes an optional setting.
 */
export const ModelProfilePatchCodec = strictType(
  'a partial model profile',
  {},
  {
    ...profileProps,
    ...Object.fromEntries(Object.entries(optionalProps).map(([k, c]) => [k, t.union([c, t.null])])),
  } as typeof profileProps & { [K in keyof typeof optionalProps]: t.UnionC<[(typeof optionalProps)[K], t.NullC]> },
);

/** A patch to a profile: any subset of its keys; `undefined`/`null` on an optional key removes it. */
export type ModelProfilePatch = { [K in keyof ModelProfile]?: ModelProfile[K] | null };

/** The profile a model id gets when it has none: instant, always right, never failing. */
export const BASE_PROFILE: ModelProfile = {
  latency: { kind: 'fixed', ms: 0 },
  tokensPerSecond: 0,
  failures: {},
  resetRate: 0,
  malformedRate: 0,
  accuracy: 1,
  contextWindow: 200_000,
  textOnly: false,
  outputTokens: 32,
};

/**
 * Applies a patch to a profile after validating it.
 *
 * @throws TypeError naming the bad key (`models.<id>.<path>: expected …`) when the patch is invalid.
 */
export function applyProfilePatch(base: ModelProfile, patch: unknown, name: string): ModelProfile {
  const decoded = ModelProfilePatchCodec.decode(patch);
  if (isLeft(decoded)) throw new TypeError(reportErrors(decoded.left, name).join('; '));
  const next: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value !== null && value !== undefined) next[key] = value;
    else if (key in optionalProps) delete next[key];
  }
  return next as ModelProfile;
}
