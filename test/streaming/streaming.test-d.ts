import { describe, expectTypeOf, it } from 'vitest';
import type { StreamingModel } from '../../src/core/stream.js';
import { hedgeFirstToken, streamFallback, withStallTimeout, withStreamBudget, withStreamGuard, wordListGuard, type StreamGuard } from '../../src/streaming/index.js';
import { scriptedStreamingModel, type ScriptedStreamingModel } from '../../src/testing/index.js';

describe('streaming operator types', () => {
  it('take StreamingModels and return a StreamingModel, however they are called', () => {
    const a = scriptedStreamingModel('a', [{ tokens: ['x'] }]);
    expectTypeOf(a).toEqualTypeOf<ScriptedStreamingModel>();
    expectTypeOf(streamFallback(a, a)).toEqualTypeOf<StreamingModel>();
    expectTypeOf(streamFallback(a, a, { policy: 'continue' })).toEqualTypeOf<StreamingModel>();
    expectTypeOf(streamFallback([a, a], { policy: 'restart' })).toEqualTypeOf<StreamingModel>();
    expectTypeOf(hedgeFirstToken([a, a], { after: 100 })).toEqualTypeOf<StreamingModel>();
    expectTypeOf(withStallTimeout(a, 1000)).toEqualTypeOf<StreamingModel>();
    expectTypeOf(withStreamBudget(a, { maxOutputTokens: 10 })).toEqualTypeOf<StreamingModel>();
    expectTypeOf(withStreamGuard(a, wordListGuard(['x']))).toEqualTypeOf<StreamingModel>();
    expectTypeOf(wordListGuard([/x/, 'y'])).toEqualTypeOf<StreamGuard>();
    // @ts-expect-error an unknown policy is refused
    streamFallback(a, a, { policy: 'eventually' });
  });
});
