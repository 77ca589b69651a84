import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import type { ModelErrorKind } from '../../src/core/errors.js';
import { invoke, type Model } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import type { ScriptedModel, ScriptStep } from '../../src/testing/index.js';

// Test helper: random scripts of replies, failures and delays for property tests of strategies.
const KINDS: readonly ModelErrorKind[] = ['throttled', 'timeout', 'unavailable', 'model-error', 'validation', 'access-denied', 'invalid-output'];

/** One scripted call: a reply, a failure of some kind, or a throttle with a Retry-After hint, after 0–6 ms. */
export const stepArb: fc.Arbitrary<ScriptStep> = fc.oneof(
  fc.record({ after: fc.integer({ min: 0, max: 6 }), reply: fc.constantFrom('yes', 'Yes.', 'no', '42') }),
  fc.record({ after: fc.integer({ min: 0, max: 6 }), error: fc.constantFrom(...KINDS) }),
  fc.record({ after: fc.integer({ min: 0, max: 3 }), error: fc.constant<ModelErrorKind>('throttled'), retryAfterMs: fc.integer({ min: 0, max: 50 }) }),
);

/** One to four steps (the last repeats). */
export const scriptArb = fc.array(stepArb, { minLength: 1, maxLength: 4 });

/** What one request produced. */
export interface Seen {
  nexts: number;
  errors: number;
  completes: number;
}

/** Sends `count` requests, each through its own `invoke`, in virtual time; returns what each produced. */
export function runRequests(model: Model, count: number): Seen[] {
  const seen: Seen[] = Array.from({ length: count }, () => ({ nexts: 0, errors: 0, completes: 0 }));
  new TestScheduler(() => undefined).run(() => {
    seen.forEach((s, i) => {
      invoke(model, toRequest({ id: `r${i}`, prompt: 'is it?' })).subscribe({
        next: () => s.nexts++,
        error: () => s.errors++,
        complete: () => s.completes++,
      });
    });
  });
  return seen;
}

/** True when a request got exactly one response then completion, or exactly one error. */
export function exactlyOne(s: Seen): boolean {
  return (s.nexts === 1 && s.completes === 1 && s.errors === 0) || (s.nexts === 0 && s.completes === 0 && s.errors === 1);
}

/** True when every call every model received has ended (replied, failed or was unsubscribed). */
export function allEnded(...models: readonly ScriptedModel[]): boolean {
  return models.every((m) => m.calls.every((c) => c.end !== undefined));
}
