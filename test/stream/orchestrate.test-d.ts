import { describe, expectTypeOf, it } from 'vitest';
import type { Observable, OperatorFunction } from 'rxjs';
import type { InferenceRequest, Model, Outcome, RequestInput } from '../../src/core/index.js';
import { orchestrate, orchestrateFrom, type OrchestrateConfig, type RequestSource } from '../../src/stream/index.js';

declare const model: Model;

describe('orchestrate types', () => {
  it('maps requests or request inputs to outcomes', () => {
    expectTypeOf(orchestrate(model)).toEqualTypeOf<OperatorFunction<InferenceRequest | RequestInput, Outcome>>();
    expectTypeOf(orchestrate).parameter(1).toEqualTypeOf<number | OrchestrateConfig | undefined>();
  });

  it('reads arrays, iterables, async iterables and Observables into outcomes', () => {
    expectTypeOf(orchestrateFrom(['hi', { prompt: 'there' }], model)).toEqualTypeOf<Observable<Outcome>>();
    expectTypeOf<AsyncIterable<InferenceRequest>>().toExtend<RequestSource>();
    expectTypeOf<Observable<string>>().toExtend<RequestSource>();
    expectTypeOf<Iterable<number>>().not.toExtend<RequestSource>();
  });
});
