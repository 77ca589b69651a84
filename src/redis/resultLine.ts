import { isLeft } from 'fp-ts/lib/Either.js';
import type { Outcome } from '../core/outcome.js';

/**
 * One request's result as a JSON line: `{"id","ok":true,"response":{…}}` or
 * `{"id","ok":false,"error":{kind,message,…}}` (the error's `toJSON`, never its
 * cause). This is what workers store and `rx-bedrock results` writes.
 */
export function resultLine(requestId: string, outcome: Outcome): string {
  return JSON.stringify(isLeft(outcome) ? { id: requestId, ok: false, error: outcome.left.toJSON() } : { id: requestId, ok: true, response: outcome.right });
}
