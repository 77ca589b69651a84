import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { collect, createBedrock, type Bedrock, type Catalog, type ModelOptions } from '../../src/bedrock/index.js';
import type { EventBus, Model, NamedModel, RuntimeEvent, StreamingModel } from '../../src/core/index.js';

describe('createBedrock types', () => {
  it('returns model operators, the bus, the client and the catalog', () => {
    expectTypeOf(createBedrock).returns.toEqualTypeOf<Bedrock>();
    expectTypeOf<Bedrock['model']>().returns.toEqualTypeOf<NamedModel>();
    expectTypeOf<Bedrock['model']>().returns.toMatchTypeOf<Model>();
    expectTypeOf<Bedrock['streamingModel']>().returns.toEqualTypeOf<StreamingModel & { readonly modelId: string }>();
    expectTypeOf<Bedrock['events$']>().toEqualTypeOf<Observable<RuntimeEvent>>();
    expectTypeOf<Bedrock['events']>().toEqualTypeOf<EventBus>();
    expectTypeOf<Bedrock['client']>().toEqualTypeOf<BedrockRuntimeClient>();
    expectTypeOf<Bedrock['catalog']>().toEqualTypeOf<Catalog>();
    expectTypeOf(collect).parameter(0).toEqualTypeOf<StreamingModel>();
    expectTypeOf(collect).returns.toEqualTypeOf<Model>();
  });

  it('accepts only the two APIs', () => {
    expectTypeOf<ModelOptions['api']>().toEqualTypeOf<'converse' | 'invoke' | undefined>();
  });
});
