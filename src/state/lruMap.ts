/**
 * A `Map` holding at most `maxSize` entries: reading or writing an entry makes
 * it the most recent, and writing past the bound drops the least recent one.
 * Every map in a {@link MemoryStore} is one of these, so memory stays bounded
 * however many keys callers invent.
 */
export class LruMap<K, V> {
  readonly #map = new Map<K, V>();
  readonly maxSize: number;

  constructor(maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new TypeError(`LruMap: maxSize must be a positive integer, got ${maxSize}`);
    this.maxSize = maxSize;
  }

  get size(): number {
    return this.#map.size;
  }

  /** The value under `key`, made the most recent. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /** Stores `value` as the most recent entry, dropping the least recent one past `maxSize`. */
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.maxSize) this.#map.delete(this.#map.keys().next().value as K);
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  /** Every entry, least recent first (reading does not refresh). */
  entries(): IterableIterator<[K, V]> {
    return this.#map.entries();
  }
}
