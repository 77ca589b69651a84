import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { lastValueFrom } from 'rxjs';
import { createBedrock, type Bedrock } from '../../src/bedrock/createBedrock.js';
import { buildStrategy } from '../../src/config/buildStrategy.js';
import { strategyFileJsonSchema } from '../../src/config/jsonSchema.js';
import { ConfigError, parseStrategyFile } from '../../src/config/parseStrategyFile.js';
import { invoke } from '../../src/core/model.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const examples = join(import.meta.dirname, '../../examples/strategies');
const broken = join(import.meta.dirname, 'broken');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function parse(dir: string, name: string) {
  return parseStrategyFile(readFileSync(join(dir, name), 'utf8'), name);
}

describe('strategy files', () => {
  let emulator: Emulator;
  let bedrock: Bedrock;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials });
  });
  afterAll(() => emulator.close());

  const valid = readdirSync(examples).filter((f) => /\.(ya?ml|json)$/.test(f));
  it.each(valid)('%s decodes, builds and answers a request through the emulator', async (name) => {
    const decoded = parse(examples, name);
    if (isLeft(decoded)) throw decoded.left;
    const model = buildStrategy(decoded.right.strategy, { bedrock });
    const response = await lastValueFrom(invoke(model, { prompt: 'What is 2 + 3?', metadata: { quality: 'standard' } }));
    expect(response.text.length).toBeGreaterThan(0);
    expect(response.attempts.length).toBeGreaterThan(0);
  });

  const cases = readdirSync(broken);
  it.each(cases)('%s is refused with a message naming the path', (name) => {
    const text = readFileSync(join(broken, name), 'utf8');
    const expectation = /^# (expect|expect-start|expect-build): (.*)$/m.exec(text);
    const decoded = parse(broken, name);
    if (name === 'too-deep.json') {
      expect(isLeft(decoded) && decoded.left.problems).toEqual(['nested deeper than 32 levels']);
      return;
    }
    const [, mode, message] = expectation!;
    if (mode === 'expect-build') {
      if (!isRight(decoded)) throw decoded.left;
      expect(() => buildStrategy(decoded.right.strategy, { bedrock })).toThrow(ConfigError);
      expect(() => buildStrategy(decoded.right.strategy, { bedrock })).toThrow(message!);
      return;
    }
    if (!isLeft(decoded)) throw new Error(`${name} decoded, but should not`);
    if (mode === 'expect-start') expect(decoded.left.problems[0]).toMatch(new RegExp(`^${message!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    else expect(decoded.left.problems).toEqual([message]);
  });

  it('refuses a file larger than the limit', () => {
    const decoded = parseStrategyFile('strategy: a\n'.padEnd(200, ' '), 'big.yaml', { maxChars: 100, maxDepth: 32 });
    expect(isLeft(decoded) && decoded.left.problems[0]).toMatch(/at most 100 are read/);
  });

  it('reads YAML as data only: tags that would construct objects are refused', () => {
    const decoded = parseStrategyFile('strategy: !!js/function "function () { return 1 }"\n', 'evil.yaml');
    expect(isLeft(decoded) && decoded.left.problems[0]).toMatch(/^not valid YAML: Unresolved tag/);
  });

  it('the committed JSON Schema is the one generated from the codec', () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../schema/strategy.schema.json'), 'utf8'));
    expect(committed).toEqual(strategyFileJsonSchema());
  });
});
