/**
 * Seeded randomness for the emulator: a small, fast PRNG and a string hash,
 * so that every run with the same `seed` (and the same request order) makes
 * the same choices.
 */

/** A source of uniform numbers in `[0, 1)`. */
export type Random = () => number;

/** mulberry32, the same seeded generator the strategies use (`seededRandom(seed)`): ~1 ns a draw. */
export { seededRandom } from '../strategies/seededRandom.js';

/** FNV-1a over the parts (joined by a separator nobody types), then avalanche-mixed: a 32-bit hash. */
export function hash32(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (let p = 0; p < parts.length; p++) {
    const s = String(parts[p]);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** {@link hash32} scaled to a uniform number in `[0, 1)`. */
export function hashUnit(...parts: readonly (string | number)[]): number {
  return hash32(...parts) / 4294967296;
}

/** A standard normal draw (Box–Muller) from a uniform source. */
export function normal(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
