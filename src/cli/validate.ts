import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { createBedrock } from '../bedrock/createBedrock.js';
import { buildStrategy } from '../config/buildStrategy.js';
import { describeStrategy } from '../config/describeStrategy.js';
import { strategyFileJsonSchema } from '../config/jsonSchema.js';
import { ConfigError, parseStrategyFile } from '../config/parseStrategyFile.js';
import type { StrategyFile } from '../config/schema.js';
import { EXIT, UsageError } from './usage.js';

/** Reads and decodes a strategy file, or throws a UsageError listing every problem by path. */
export async function loadStrategyFile(path: string): Promise<StrategyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const decoded = parseStrategyFile(text, path);
  if (isLeft(decoded)) throw new UsageError(`invalid strategy file ${path}:\n  ${decoded.left.problems.join('\n  ')}`);
  return decoded.right;
}

/**
 * Builds the decoded tree without connecting anywhere (a client sends nothing
 * until asked), so the mistakes only building finds are reported too: a quorum
 * over the number of models, a default that is not one of the routes.
 */
function checkBuilds(file: StrategyFile, path: string): void {
  const bedrock = createBedrock({ region: 'us-east-1', credentials: { accessKeyId: 'validate', secretAccessKey: 'validate' } });
  try {
    buildStrategy(file.strategy, { bedrock });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`invalid strategy file ${path}:\n  ${error.problems.join('\n  ')}`);
    if (error instanceof TypeError) throw new UsageError(`invalid strategy file ${path}:\n  ${error.message}`);
    throw error;
  }
}

/** `rx-bedrock validate --config f`: prints the strategy tree, or every problem with its path (exit 2). */
export async function validateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' } }, strict: true });
  if (values.config === undefined) throw new UsageError('--config is required');
  const file = await loadStrategyFile(values.config);
  checkBuilds(file, values.config);
  process.stdout.write(`${values.config}: ok\n${describeStrategy(file.strategy)}`);
  return EXIT.ok;
}

/** `rx-bedrock schema`: the JSON Schema of strategy files, for editors. */
export async function schemaCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  process.stdout.write(`${JSON.stringify(strategyFileJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}
