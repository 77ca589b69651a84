import type { ModelProfilePatch } from '../../src/emulator/index.js';

/** The three models of the soak's chain: `fallback(withRetry(withCircuitBreaker(a)), withCircuitBreaker(b), c)`. */
export const SOAK_MODELS = {
  a: 'anthropic.claude-3-haiku-20240307-v1:0',
  b: 'amazon.nova-lite-v1:0',
  c: 'mistral.mistral-7b-instruct-v0:2',
} as const;
export type SoakRole = keyof typeof SOAK_MODELS;

/** Fast models, so 100,000 requests fit in minutes: ~3 ms per answer, 16 tokens. */
export const BASE: ModelProfilePatch = {
  latency: { kind: 'lognormal', medianMs: 3, sigma: 0.5 },
  firstTokenMs: { kind: 'lognormal', medianMs: 2, sigma: 0.5 },
  tokensPerSecond: 4000,
  outputTokens: 16,
  accuracy: 1,
};

/** No injected faults. */
export const HEALTHY: ModelProfilePatch = { failures: {}, resetRate: 0, malformedRate: 0, streamFailure: null, stallAfterTokens: null };

/**
 * Everything at once: 20% 5xx (InternalServer, ServiceUnavailable), 10% throttling,
 * 5% model timeouts, 2% connection resets, 2% malformed bodies, and on streams 5%
 * mid-stream exceptions and 1% stalls of 6 s.
 */
export const CHAOS: ModelProfilePatch = {
  failures: { InternalServerException: 0.1, ServiceUnavailableException: 0.1, ThrottlingException: 0.1, ModelTimeoutException: 0.05 },
  resetRate: 0.02,
  malformedRate: 0.02,
  streamFailure: { afterTokens: 3, exception: 'ModelStreamErrorException', rate: 0.05 },
  stallAfterTokens: { afterTokens: 5, ms: 6_000, rate: 0.01 },
};

/** A full outage: every call answers 503. */
export const OUTAGE: ModelProfilePatch = { ...HEALTHY, failures: { ServiceUnavailableException: 1 } };

/** One stretch of the run: from `from` (a fraction of the requests finished), each model's faults. */
export interface SoakPhase {
  readonly name: string;
  readonly from: number;
  readonly profiles: Readonly<Record<SoakRole, ModelProfilePatch>>;
}

/**
 * The schedule: faults move between the models over time. Every phase has a
 * healthy model, and it stays healthy into the next phase (only one role
 * changes at a boundary that matters), so a request in flight across a change
 * always has a healthy model to fall back to.
 */
export const SOAK_PHASES: readonly SoakPhase[] = [
  { name: 'chaos on a and b; c healthy', from: 0, profiles: { a: CHAOS, b: CHAOS, c: HEALTHY } },
  { name: 'outage of a, chaos on b; c healthy', from: 0.15, profiles: { a: OUTAGE, b: CHAOS, c: HEALTHY } },
  { name: 'outage of a; b and c healthy', from: 0.3, profiles: { a: OUTAGE, b: HEALTHY, c: HEALTHY } },
  { name: 'chaos on a and c; b healthy', from: 0.45, profiles: { a: CHAOS, b: HEALTHY, c: CHAOS } },
  { name: 'chaos on c; a and b healthy', from: 0.6, profiles: { a: HEALTHY, b: HEALTHY, c: CHAOS } },
  { name: 'outage of b, chaos on c; a healthy', from: 0.75, profiles: { a: HEALTHY, b: OUTAGE, c: CHAOS } },
  { name: 'recovery: all healthy', from: 0.9, profiles: { a: HEALTHY, b: HEALTHY, c: HEALTHY } },
];
