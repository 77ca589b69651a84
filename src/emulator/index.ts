/**
 * `rx-bedrock/emulator`: a local Amazon Bedrock Runtime for tests, demos and
 * benchmarks. Start it with {@link startEmulator}, point an unmodified
 * `BedrockRuntimeClient` at its `endpoint`, shape each simulated model with a
 * {@link ModelProfile}, and score answers with {@link expectedAnswer}.
 *
 * @packageDocumentation
 */
export { startEmulator, type Emulator, type EmulatorConfig } from './startEmulator.js';
export { DEFAULT_PROFILES } from './catalog.js';
export {
  ModelProfileCodec, ModelProfilePatchCodec, LatencyDistributionCodec, BASE_PROFILE,
  type ModelProfile, type ModelProfilePatch, type LatencyDistribution,
} from './profile.js';
export { EXCEPTIONS, EXCEPTION_NAMES, STREAM_EXCEPTIONS, type ExceptionName, type StreamExceptionName } from './exceptions.js';
export { familyOf, baseModelId, type ModelFamily } from './families.js';
export { respond, expectedAnswer, splitPieces, type RespondConfig, type Reply, type ResponderTask } from './respond.js';
export { sentimentQuestions, sentimentPrompt, lexiconSentiment, SENTIMENTS, type Sentiment } from './sentiment.js';
export { eventFrame, exceptionFrame, chunkFrame } from './eventStream.js';
export { sampleLatency } from './latency.js';
export { seededRandom, hash32, type Random } from './random.js';
export type { EmulatorStats, ModelStats } from './stats.js';
export type { SigningCredentials } from './verifySignature.js';
export type { ErrorName } from './httpReply.js';
