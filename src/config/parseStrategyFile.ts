import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { parseDocument } from 'yaml';
import { decodeWith } from '../core/codecs.js';
import { StrategyFileCodec, type StrategyFile } from './schema.js';

/** Limits on a strategy file, so a hostile file cannot exhaust the process. */
export interface StrategyFileLimits {
  /** Deepest nesting of objects and arrays. Default 32. */
  readonly maxDepth: number;
  /** Largest file, in characters. Default 1 MiB. */
  readonly maxChars: number;
}

export const DEFAULT_STRATEGY_FILE_LIMITS: StrategyFileLimits = { maxDepth: 32, maxChars: 1024 * 1024 };

/** A strategy file that could not be used: every problem, one line each, with its path. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.join('\n  ')}`);
  }
}

function depthOf(value: unknown, limit: number, depth = 1): number {
  if (depth > limit || typeof value !== 'object' || value === null) return depth - 1;
  let deepest = depth;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, limit, depth + 1));
  return deepest;
}

/**
 * Parses a strategy file's text (JSON, or YAML — a superset of JSON; YAML is
 * read as plain data with the core schema, nothing in it is evaluated) and
 * decodes it strictly. Fails with every problem named by path, e.g.
 * `strategy.fallback[1].retry.count: expected a positive integer (at most 100), got "three"`.
 */
export function parseStrategyFile(
  text: string,
  source = 'strategy file',
  limits: StrategyFileLimits = DEFAULT_STRATEGY_FILE_LIMITS,
): Either<ConfigError, StrategyFile> {
  if (text.length > limits.maxChars) return left(new ConfigError(source, [`the file has ${text.length} characters; at most ${limits.maxChars} are read`]));
  let data: unknown;
  if (source.endsWith('.json')) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      return left(new ConfigError(source, [`not valid JSON: ${(error as Error).message}`]));
    }
  } else {
    // Plain data only: the core schema, no custom tags; an unknown tag (e.g. !!js/function) is an error, not a warning.
    const document = parseDocument(text, { schema: 'core', customTags: [], logLevel: 'silent' });
    const problems = [...document.errors, ...document.warnings].map((e) => `not valid YAML: ${e.message.split('\n')[0]}`);
    if (problems.length > 0) return left(new ConfigError(source, problems));
    try {
      data = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // An alias bomb ("billion laughs") is refused by the parser with a ReferenceError: a bad file, not a crash.
      return left(new ConfigError(source, [`not valid YAML: ${(error as Error).message}`]));
    }
  }
  const depth = depthOf(data, limits.maxDepth + 1);
  if (depth > limits.maxDepth) return left(new ConfigError(source, [`nested deeper than ${limits.maxDepth} levels`]));
  const decoded = decodeWith(StrategyFileCodec, data);
  return isLeft(decoded) ? left(new ConfigError(source, decoded.left)) : right(decoded.right);
}
