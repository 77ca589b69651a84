import { describe, expectTypeOf, it } from 'vitest';
import * as t from 'io-ts';
import type { Model } from '../../src/core/model.js';
import { average } from '../../src/strategies/combiners/average.js';
import type { Combiner } from '../../src/strategies/combiners/combiner.js';
import { judge } from '../../src/strategies/combiners/judge.js';
import { vote } from '../../src/strategies/combiners/vote.js';
import { weighted } from '../../src/strategies/combiners/weighted.js';
import { ensemble } from '../../src/strategies/ensemble.js';
import { fallback } from '../../src/strategies/fallback.js';
import { hedge } from '../../src/strategies/hedge.js';
import { keywordClassifier } from '../../src/strategies/keywordClassifier.js';
import { modelClassifier } from '../../src/strategies/modelClassifier.js';
import { pipeline } from '../../src/strategies/pipeline.js';
import { route, type Classifier } from '../../src/strategies/route.js';
import { withDecode } from '../../src/strategies/withDecode.js';
import { withRetry } from '../../src/strategies/withRetry.js';
import { withTimeout } from '../../src/strategies/withTimeout.js';

declare const a: Model;
declare const b: Model;

describe('strategy types', () => {
  it('every strategy is a Model, so they nest', () => {
    expectTypeOf(fallback(withRetry(ensemble([a, b], { combine: vote() }), { count: 2 }), b)).toEqualTypeOf<Model>();
    expectTypeOf(hedge([withTimeout(a, 100), b], { after: 50 })).toEqualTypeOf<Model>();
    expectTypeOf(pipeline([a, { model: withDecode(b, t.string), name: 'check' }])).toEqualTypeOf<Model>();
    expectTypeOf(route({ classify: keywordClassifier(), routes: { code: a, general: { model: b, contextWindow: 8_000 } }, default: 'general' })).toEqualTypeOf<Model>();
  });

  it('combiners and classifiers fit their slots', () => {
    expectTypeOf([vote(), average(), weighted({ x: 1 }), judge(a)]).toEqualTypeOf<Combiner[]>();
    expectTypeOf(keywordClassifier()).toMatchTypeOf<Classifier>();
    expectTypeOf(modelClassifier(a, ['x'])).toMatchTypeOf<Classifier>();
    // @ts-expect-error a count is required in the config form
    withRetry(a, { backoff: { initialMs: 1 } });
  });
});
