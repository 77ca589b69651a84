import type { ErrorName } from './httpReply.js';

/** Counters of one simulated model (or of all of them, in `totals`). */
export interface ModelStats {
  /** Requests that reached the model (valid or not, admitted or throttled). */
  calls: number;
  /** Requests answered in full (a 200 whose body or stream ended normally, malformed replies included). */
  successes: number;
  /** Error replies by exception name, HTTP or in-stream (quota throttles and refused signatures included). */
  errors: Partial<Record<ErrorName, number>>;
  /** Requests refused by the `rpm`/`tpm` quota (also counted in `errors.ThrottlingException`). */
  throttles: number;
  /** Input tokens billed (admitted requests; CountTokens is free). */
  inputTokens: number;
  /** Output tokens billed, as they were sent: a cancelled stream stops billing at once. */
  outputTokens: number;
  /** Requests the client aborted before the response ended (HTTP/2 RST, HTTP/1 socket closed). */
  cancelled: number;
  /** Connections destroyed on purpose (`resetRate`). */
  resets: number;
  /** Replies made deliberately malformed (`malformedRate`). */
  malformed: number;
  /** Most requests in flight at once. */
  peakConcurrency: number;
  /** Requests in flight now. */
  inFlight: number;
}

/** A snapshot of every counter: per model id, and totals over all requests (unknown models and paths included). */
export interface EmulatorStats {
  models: Record<string, ModelStats>;
  totals: ModelStats;
}

/** Fresh zeroed counters. */
export function emptyStats(): ModelStats {
  return { calls: 0, successes: 0, errors: {}, throttles: 0, inputTokens: 0, outputTokens: 0, cancelled: 0, resets: 0, malformed: 0, peakConcurrency: 0, inFlight: 0 };
}

/** A deep copy, safe to hand out. */
export function copyStats(s: ModelStats): ModelStats {
  return { ...s, errors: { ...s.errors } };
}
