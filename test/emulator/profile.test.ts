import { describe, it, expect } from 'vitest';
import { isRight } from 'fp-ts/lib/Either.js';
import { applyProfilePatch, BASE_PROFILE, ModelProfileCodec } from '../../src/emulator/profile.js';
import { DEFAULT_PROFILES } from '../../src/emulator/catalog.js';

describe('ModelProfileCodec', () => {
  it('accepts every default profile', () => {
    for (const profile of Object.values(DEFAULT_PROFILES)) expect(isRight(ModelProfileCodec.decode(profile))).toBe(true);
    expect(Object.keys(DEFAULT_PROFILES)).toHaveLength(18);
  });

  it('rejects unknown keys and bad values', () => {
    expect(isRight(ModelProfileCodec.decode({ ...BASE_PROFILE, speed: 1 }))).toBe(false);
    expect(isRight(ModelProfileCodec.decode({ ...BASE_PROFILE, accuracy: 1.5 }))).toBe(false);
  });
});

describe('applyProfilePatch', () => {
  it('merges a valid patch and removes optional keys set to null', () => {
    const p = applyProfilePatch(BASE_PROFILE, { rpm: 5, latency: { kind: 'tail', baseMs: 1, tailMs: 9, p: 0.1 } }, 'm');
    expect(p.rpm).toBe(5);
    expect(p.latency).toEqual({ kind: 'tail', baseMs: 1, tailMs: 9, p: 0.1 });
    expect(applyProfilePatch(p, { rpm: null }, 'm').rpm).toBeUndefined();
    expect(applyProfilePatch(p, { latency: undefined }, 'm').latency).toEqual(p.latency);
  });

  it('throws a TypeError naming the path of the problem', () => {
    expect(() => applyProfilePatch(BASE_PROFILE, { failures: { ThrottlingException: 2 } }, 'models.x')).toThrow(/models\.x\.failures\.ThrottlingException/);
    expect(() => applyProfilePatch(BASE_PROFILE, { failures: { Nope: 1 } }, 'm')).toThrow(TypeError);
    expect(() => applyProfilePatch(BASE_PROFILE, { streamFailure: { afterTokens: 1, exception: 'AccessDeniedException', rate: 1 } }, 'm')).toThrow(/streamFailure\.exception/);
    expect(() => applyProfilePatch(BASE_PROFILE, 'fast', 'm')).toThrow(TypeError);
  });
});
