const SLOT_MS = 100;
const SLOTS = 600;

/**
 * A sliding 60-second sum on the server clock (600 slots of 100 ms, fixed
 * memory): how many requests or tokens a model took in the last minute, for
 * its `rpm`/`tpm` quota.
 */
export class SlidingWindow {
  private readonly slots = new Float64Array(SLOTS);
  private slot = -1;
  private sum = 0;

  /** The sum over the last 60 s at time `now` (ms). */
  total(now: number): number {
    this.advance(now);
    return this.sum;
  }

  /** Adds `amount` at time `now` (ms). */
  add(now: number, amount: number): void {
    this.advance(now);
    this.slots[this.slot % SLOTS]! += amount;
    this.sum += amount;
  }

  private advance(now: number): void {
    const current = Math.floor(now / SLOT_MS);
    if (this.slot < 0 || current - this.slot >= SLOTS) {
      this.slots.fill(0);
      this.sum = 0;
    } else {
      for (let s = this.slot + 1; s <= current; s++) {
        this.sum -= this.slots[s % SLOTS]!;
        this.slots[s % SLOTS] = 0;
      }
    }
    if (current > this.slot) this.slot = current;
  }
}
