import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { createBedrock } from '../../src/bedrock/createBedrock.js';
import { buildStrategy } from '../../src/config/buildStrategy.js';
import { ConfigError, parseStrategyFile } from '../../src/config/parseStrategyFile.js';

// Building a strategy makes no call, so the endpoint is never contacted.
const bedrock = createBedrock({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
afterAll(() => bedrock.client.destroy());

const EXAMPLES = new URL('../../examples/strategies/', import.meta.url);
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).map((f) => parse(readFileSync(new URL(f, EXAMPLES), 'utf8')) as Record<string, unknown>);

const KEYS = [
  'model', 'fallback', 'retry', 'timeout', 'hedge', 'ensemble', 'route', 'pipeline', 'costTiers', 'fastest', 'adaptive', 'circuitBreaker',
  'rateLimit', 'concurrency', 'cache', 'budget', 'count', 'ms', 'first', 'each', 'after', 'max', 'models', 'combine', 'quorum', 'routes',
  'default', 'classify', 'tiers', 'name', 'openForMs', 'failureThreshold', 'rpm', 'tpm', 'mode', 'id', 'api', 'usd', 'ttlMs', 'limit', 'maxQueue',
  'backoff', 'jitter', 'constructor', 'toString', 'prototype',
];

const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('object'), tie('array')),
  leaf: fc.oneof(
    fc.constantFrom('amazon.nova-lite-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0', 'vote', 'average', 'keywords', 'wait', 'reject', 'converse', 'invoke', ''),
    fc.integer({ min: -3, max: 200 }), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 12 }),
  ),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 3 }),
  array: fc.array(tie('node'), { maxLength: 3 }),
}));

/** Replaces the value at a random path of `value` (a real example file) with `replacement`. */
function mutate(value: unknown, choices: readonly number[], replacement: unknown): unknown {
  if (choices.length === 0 || typeof value !== 'object' || value === null) return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[choices[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...value };
  copy[key] = mutate((value as Record<string, unknown>)[key], choices.slice(1), replacement);
  return copy;
}

/** Parses and builds; answers what happened, and fails the test on anything but a ConfigError, a TypeError or a Model. */
function load(text: string, source: string): 'config-error' | 'type-error' | 'model' {
  const parsed = parseStrategyFile(text, source);
  if (isLeft(parsed)) {
    expect(parsed.left).toBeInstanceOf(ConfigError);
    expect(parsed.left.problems.length).toBeGreaterThan(0);
    return 'config-error';
  }
  try {
    const model = buildStrategy(parsed.right.strategy, { bedrock });
    expect(typeof model).toBe('function');
    return 'model';
  } catch (error) {
    if (error instanceof ConfigError) return 'config-error';
    // Option checks the schema cannot express (e.g. a quorum above the member count) throw a TypeError naming the option.
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message.length).toBeGreaterThan(0);
    return 'type-error';
  }
}

describe('fuzzing strategy files through parseStrategyFile and buildStrategy', () => {
  it('loads every example as it is', () => {
    for (const example of examples) expect(load(JSON.stringify(example), 'example.json')).toBe('model');
  });

  it('answers random trees, as JSON and as YAML, with a ConfigError or a Model, never a crash', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(tree.node, fc.boolean(), (strategy, yaml) => {
        const file = { strategy };
        seen.add(yaml ? load(stringify(file), 'fuzz.yaml') : load(JSON.stringify(file), 'fuzz.json'));
      }),
      { numRuns: 300 },
    );
    expect(seen.has('config-error')).toBe(true);
  });

  it('answers mutated real examples with a ConfigError naming a path, or a Model', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), tree.node, (example, choices, replacement) => {
        const text = JSON.stringify(mutate(example, choices, replacement));
        const outcome = load(text, 'mutated.json');
        seen.add(outcome);
        if (outcome === 'config-error') {
          const parsed = parseStrategyFile(text, 'mutated.json');
          if (isLeft(parsed)) expect(parsed.left.message).toMatch(/mutated\.json: /);
        }
      }),
      { numRuns: 300 },
    );
    expect(seen.has('config-error') && seen.has('model')).toBe(true);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('x.json', 'x.yaml'), (text, source) => {
        const parsed = parseStrategyFile(text, source);
        if (isLeft(parsed)) expect(parsed.left).toBeInstanceOf(ConfigError);
      }),
      { numRuns: 300 },
    );
  });
});
