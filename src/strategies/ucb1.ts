import { effectiveCount, rankBy, utilityOf, type AdaptivePolicy } from './adaptiveScores.js';

/**
 * UCB1 over EMA windows: each arm's utility plus
 * `exploration · sqrt(2 · ln N / n)`, where `n` is the arm's effective sample
 * count (at most `(2 − alpha) / alpha`) and `N` their sum. Arms never tried come first.
 *
 * @param exploration scales the bonus (rewards here live in about [0, 1]). Default 0.3.
 */
export function ucb1(exploration = 0.3): AdaptivePolicy {
  if (!(Number.isFinite(exploration) && exploration >= 0)) throw new TypeError(`ucb1: exploration must be a number ≥ 0, got ${exploration}`);
  return (arms, { objective, alpha }) => {
    const total = arms.reduce((sum, a) => sum + (a.score ? effectiveCount(a.score, alpha) : 0), 0);
    const logTotal = Math.log(Math.max(total, 1));
    return rankBy(arms, ({ score }) => {
      const n = effectiveCount(score, alpha);
      return utilityOf(objective, score.success, score.latencyMs, score.costUsd) + exploration * Math.sqrt((2 * logTotal) / n);
    });
  };
}
