import type { Model } from '../../core/model.js';
import type { Candidate } from './tryInOrder.js';

/** Candidates given as `{ id: model }` or `[{ id, model }]`, checked (non-empty, unique ids, models are functions). */
export function candidatesOf(owner: string, given: Readonly<Record<string, Model>> | readonly Candidate[]): readonly Candidate[] {
  const list: readonly Candidate[] = Array.isArray(given)
    ? (given as readonly Candidate[])
    : Object.entries(given as Readonly<Record<string, Model>>).map(([id, model]) => ({ id, model }));
  if (list.length === 0) throw new TypeError(`${owner}: models must name at least one model`);
  const seen = new Set<string>();
  for (const c of list) {
    if (typeof c?.id !== 'string' || c.id === '' || typeof c.model !== 'function') throw new TypeError(`${owner}: models must be { id: model } or [{ id, model }]`);
    if (seen.has(c.id)) throw new TypeError(`${owner}: models has the id "${c.id}" twice`);
    seen.add(c.id);
  }
  return list;
}
