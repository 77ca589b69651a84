import type { ModelError } from '../core/errors.js';
import type { Outcome } from '../core/outcome.js';
import { errorRecord, resultRecord, type ResultRecord as OutcomeRecord } from '../stream/resultRecord.js';

/** One line of `rx-bedrock run` output: how one input line ended, with its line number. */
export type ResultRecord = OutcomeRecord & { readonly line: number };

/** The record of an input line that never reached a model (not JSON, too long, not a request). */
export function rejectedRecord(id: string, line: number, error: ModelError): ResultRecord {
  return { ...errorRecord(id, error), line };
}

/** The record of an orchestrated request. */
export function outcomeRecord(outcome: Outcome, id: string, line: number): ResultRecord {
  return { ...resultRecord(id, outcome), line };
}
