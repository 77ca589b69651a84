import type { Observable } from 'rxjs';
import type { Outcome } from '../core/outcome.js';

/** One request read from a Redis stream, with the handle that settles it. */
export interface RedisDelivery {
  /** The stream entry's id. */
  readonly entryId: string;
  /** The request's id (the entry's `id` field, else its entry id): results are stored under it. */
  readonly requestId: string;
  /** The request as enqueued (decoded JSON, its `id` filled in), or `null` when the entry held no valid JSON. */
  readonly request: unknown;
  /** True when the entry was claimed from a worker that stopped acknowledging it. */
  readonly reclaimed: boolean;
  /**
   * Stores the outcome's result line under `requestId` unless a result is
   * already stored, and only then acknowledges (`XACK`) the entry, in one
   * atomic script. Emits `true` when this result was stored, `false` when an
   * earlier one was kept; errors when Redis does (the entry then stays pending
   * and is reclaimed after the visibility timeout).
   */
  ack(outcome: Outcome): Observable<boolean>;
  /** Gives the delivery up unacknowledged (it stays pending, for reclaim); frees its slot. */
  release(): void;
}

/** A stream entry's fields as a record. */
export function entryFields(fields: readonly string[] | null): Record<string, string> {
  const record: Record<string, string> = {};
  if (fields) for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
  return record;
}

/** The request id and decoded request of an entry (fields `id` and `request`). */
export function entryRequest(entryId: string, fields: Record<string, string>): { requestId: string; request: unknown } {
  const requestId = fields.id !== undefined && fields.id.length > 0 ? fields.id : entryId;
  let request: unknown = null;
  try {
    request = JSON.parse(fields.request ?? 'null') as unknown;
  } catch {
    request = null;
  }
  if (typeof request === 'object' && request !== null && !Array.isArray(request) && !('id' in request)) request = { ...request, id: requestId };
  return { requestId, request };
}
