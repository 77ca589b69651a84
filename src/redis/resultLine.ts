import type { Outcome } from '../core/outcome.js';
import { resultRecord } from '../stream/resultRecord.js';

/**
 * One request's result as a JSON line, in the shape `rx-bedrock run` writes
 * (without its `line` number). This is what workers store and
 * `rx-bedrock results` writes.
 */
export function resultLine(requestId: string, outcome: Outcome): string {
  return JSON.stringify(resultRecord(requestId, outcome));
}
