interface Slot<V> {
  value: V;
  /** The insertion count when the entry last moved to the young end. */
  movedAt: number;
}

/**
 * A `Map` holding at most `maxSize` entries, dropping the least recently
 * used one past the bound. Every map in a {@link MemoryStore} is one of
 * these, so memory stays bounded however many keys callers invent.
 *
 * Touching an entry moves it to the young end only when it has aged past
 * half the bound, so a busy key costs a plain `Map` lookup, and an entry
 * touched at least once every `maxSize / 2` insertions is never dropped.
 */
export class LruMap<K, V> {
  readonly #map = new Map<K, Slot<V>>();
  #moves = 0;
  readonly maxSize: number;

  constructor(maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new TypeError(`LruMap: maxSize must be a positive integer, got ${maxSize}`);
    this.maxSize = maxSize;
  }

  get size(): number {
    return this.#map.size;
  }

  #touch(key: K, slot: Slot<V>): void {
    if (this.#moves - slot.movedAt < this.maxSize / 2) return;
    this.#map.delete(key);
    this.#map.set(key, slot);
    slot.movedAt = ++this.#moves;
  }

  /** The value under `key`, marked as recently used. */
  get(key: K): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    this.#touch(key, slot);
    return slot.value;
  }

  /** Stores `value`, marked as recently used, dropping the least recent entry past `maxSize`. */
  set(key: K, value: V): void {
    const slot = this.#map.get(key);
    if (slot !== undefined) {
      slot.value = value;
      this.#touch(key, slot);
      return;
    }
    this.#map.set(key, { value, movedAt: ++this.#moves });
    if (this.#map.size > this.maxSize) this.#map.delete(this.#map.keys().next().value as K);
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  /** Every entry, least recent first (reading does not mark them used). */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, slot] of this.#map) yield [key, slot.value];
  }
}
