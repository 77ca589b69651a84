import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describeStrategy } from '../config/describeStrategy.js';
import { strategyFileJsonSchema } from '../config/jsonSchema.js';
import { parseStrategyFile } from '../config/parseStrategyFile.js';
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

/** `rx-bedrock validate --config f`: prints the decoded strategy tree, or every problem with its path (exit 2). */
export async function validateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' } }, strict: true });
  if (values.config === undefined) throw new UsageError('--config is required');
  const file = await loadStrategyFile(values.config);
  process.stdout.write(`${values.config}: ok\n${describeStrategy(file.strategy)}`);
  return EXIT.ok;
}

/** `rx-bedrock schema`: the JSON Schema of strategy files, for editors. */
export async function schemaCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  process.stdout.write(`${JSON.stringify(strategyFileJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}
