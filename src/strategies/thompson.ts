import { effectiveCount, rankBy, utilityOf, type AdaptivePolicy } from './adaptiveScores.js';

function sampleNormal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A Gamma(shape ≥ 1, 1) sample (Marsaglia–Tsang). */
function sampleGamma(shape: number, random: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) sample for a, b ≥ 1. */
export function sampleBeta(a: number, b: number, random: () => number): number {
  const x = sampleGamma(a, random);
  return x / (x + sampleGamma(b, random));
}

/**
 * Thompson sampling over EMA windows: for each arm, a success rate is drawn
 * from Beta(1 + s·n, 1 + (1 − s)·n) — `s` its success EMA, `n` its effective
 * sample count (at most `(2 − alpha) / alpha`, so the posterior never hardens and a
 * changed model is noticed) — and arms are ranked by the utility of the draw
 * with their latency and cost averages. Arms never tried come first.
 */
export function thompson(): AdaptivePolicy {
  return (arms, { objective, alpha, random }) =>
    rankBy(arms, ({ score }) => {
      const n = effectiveCount(score, alpha);
      const drawn = sampleBeta(1 + score.success * n, 1 + (1 - score.success) * n, random);
      return utilityOf(objective, drawn, score.latencyMs, score.costUsd);
    });
}
