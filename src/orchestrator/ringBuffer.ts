/**
 * A fixed-capacity buffer that keeps the newest `capacity` items: pushing
 * past it overwrites the oldest. O(1) push, bounded memory however long it runs.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new TypeError(`RingBuffer: capacity must be a positive integer, got ${String(capacity)}`);
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** The newest `limit` items (all by default), oldest first. */
  toArray(limit = this.size): T[] {
    const count = Math.max(0, Math.min(limit, this.size));
    const out: T[] = [];
    for (let i = count; i > 0; i--) out.push(this.items[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }

  get length(): number {
    return this.size;
  }
}
