import { BASE_PROFILE, type ModelProfile } from './profile.js';

function model(medianMs: number, tokensPerSecond: number, accuracy: number, contextWindow: number, extra: Partial<ModelProfile> = {}): ModelProfile {
  return {
    ...BASE_PROFILE,
    latency: { kind: 'lognormal', medianMs, sigma: 0.25 },
    firstTokenMs: { kind: 'lognormal', medianMs: Math.max(1, Math.round(medianMs / 2)), sigma: 0.25 },
    tokensPerSecond,
    accuracy,
    contextWindow,
    ...extra,
  };
}

/**
 * The simulated catalog: real Bedrock model ids with plausible relative speed and
 * quality (small models fast and less accurate, large ones slower and better),
 * scaled down to tens of milliseconds so tests and demos are quick. No failures
 * by default; inject them with `setProfile` or `PUT /_emulator/models/{id}`.
 * Ids also resolve with `us.`/`eu.`/… inference-profile prefixes and as ARNs.
 */
export const DEFAULT_PROFILES: Readonly<Record<string, ModelProfile>> = {
  'anthropic.claude-3-haiku-20240307-v1:0': model(12, 2000, 0.8, 200_000),
  'anthropic.claude-3-5-haiku-20241022-v1:0': model(15, 1800, 0.85, 200_000),
  'anthropic.claude-3-5-sonnet-20240620-v1:0': model(30, 1200, 0.93, 200_000),
  'anthropic.claude-3-opus-20240229-v1:0': model(60, 600, 0.96, 200_000),
  'anthropic.claude-v2:1': model(40, 800, 0.75, 200_000, { textOnly: true }),
  'anthropic.claude-instant-v1': model(15, 1600, 0.7, 100_000, { textOnly: true }),
  'amazon.titan-text-express-v1': model(20, 1500, 0.65, 8_000, { textOnly: true }),
  'amazon.titan-text-lite-v1': model(10, 2500, 0.6, 4_000, { textOnly: true }),
  'amazon.nova-micro-v1:0': model(8, 3000, 0.72, 128_000, { textOnly: true }),
  'amazon.nova-lite-v1:0': model(12, 2500, 0.8, 300_000),
  'amazon.nova-pro-v1:0': model(25, 1500, 0.9, 300_000),
  'meta.llama3-8b-instruct-v1:0': model(10, 2500, 0.7, 8_000, { textOnly: true }),
  'meta.llama3-70b-instruct-v1:0': model(35, 1000, 0.88, 8_000, { textOnly: true }),
  'mistral.mistral-7b-instruct-v0:2': model(10, 2500, 0.68, 32_000, { textOnly: true }),
  'mistral.mistral-large-2402-v1:0': model(35, 1000, 0.87, 32_000, { textOnly: true }),
  'cohere.command-r-v1:0': model(20, 1500, 0.78, 128_000, { textOnly: true }),
  'cohere.command-r-plus-v1:0': model(35, 1000, 0.88, 128_000, { textOnly: true }),
  'ai21.jamba-1-5-mini-v1:0': model(15, 2000, 0.75, 256_000, { textOnly: true }),
};
