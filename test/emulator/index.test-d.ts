import { describe, it, expectTypeOf } from 'vitest';
import {
  DEFAULT_PROFILES,
  expectedAnswer,
  respond,
  sentimentQuestions,
  startEmulator,
  type Emulator,
  type EmulatorStats,
  type ExceptionName,
  type ModelProfile,
} from '../../src/emulator/index.js';

describe('rx-bedrock/emulator types', () => {
  it('has the agreed API', () => {
    expectTypeOf(startEmulator).returns.resolves.toEqualTypeOf<Emulator>();
    expectTypeOf<Emulator['endpoint']>().toEqualTypeOf<string>();
    expectTypeOf<Emulator['stats']>().returns.toEqualTypeOf<EmulatorStats>();
    expectTypeOf<Emulator['setProfile']>().toBeCallableWith('m', { failures: { ThrottlingException: 1 }, rpm: 10 } satisfies Partial<ModelProfile>);
    expectTypeOf(DEFAULT_PROFILES['amazon.nova-lite-v1:0']).toEqualTypeOf<ModelProfile>();
    expectTypeOf(respond('x', { modelId: 'm', accuracy: 0.7, seed: 1, maxTokens: 5 }).text).toEqualTypeOf<string>();
    expectTypeOf(expectedAnswer).returns.toEqualTypeOf<string | undefined>();
    expectTypeOf(sentimentQuestions(1, 1)[0]!.expected).toEqualTypeOf<'positive' | 'negative' | 'neutral'>();
    expectTypeOf<'ThrottlingException'>().toMatchTypeOf<ExceptionName>();
    expectTypeOf<EmulatorStats['totals']['cancelled']>().toEqualTypeOf<number>();
  });
});
