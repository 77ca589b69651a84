import type { Spend } from './store.js';

/**
 * Spending over a rolling window, in `slots` fixed slots of `windowMs / slots`
 * each (fixed memory whatever the traffic). Spending at time `t` counts until
 * the slot holding `t` leaves the window, i.e. until
 * `(floor(t / slotMs) + slots) · slotMs`.
 */
export class RollingSpend {
  readonly #usd: Float64Array;
  readonly #tokens: Float64Array;
  readonly #slotMs: number;
  #last = Number.NEGATIVE_INFINITY;
  readonly windowMs: number;

  constructor(windowMs: number, slots: number) {
    this.windowMs = windowMs;
    this.#slotMs = windowMs / slots;
    this.#usd = new Float64Array(slots);
    this.#tokens = new Float64Array(slots);
  }

  #advance(now: number): number {
    const slots = this.#usd.length;
    const current = Math.floor(now / this.#slotMs);
    if (current > this.#last) {
      if (current - this.#last >= slots) {
        this.#usd.fill(0);
        this.#tokens.fill(0);
      } else {
        for (let s = this.#last + 1; s <= current; s++) {
          this.#usd[s % slots] = 0;
          this.#tokens[s % slots] = 0;
        }
      }
      this.#last = current;
    }
    return current % slots;
  }

  /** Adds `spend` at `now` and answers the window's total. */
  add(spend: Spend, now: number): Spend {
    const slot = this.#advance(now);
    this.#usd[slot] = this.#usd[slot]! + spend.usd;
    this.#tokens[slot] = this.#tokens[slot]! + spend.tokens;
    return this.total(now);
  }

  /** The window's total at `now`. */
  total(now: number): Spend {
    this.#advance(now);
    let usd = 0;
    let tokens = 0;
    for (let i = 0; i < this.#usd.length; i++) {
      usd += this.#usd[i]!;
      tokens += this.#tokens[i]!;
    }
    return { usd, tokens };
  }
}
