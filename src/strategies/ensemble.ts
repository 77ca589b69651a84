import { catchError, defer, isObservable, map, merge, mergeMap, of, take, takeWhile, throwError, throwIfEmpty, toArray, type Observable, type SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { ModelError, toModelError } from '../core/errors.js';
import type { Model } from '../core/model.js';
import type { InferenceResponse } from '../core/response.js';
import type { CombineFn, Combiner } from './combiners/combiner.js';
import { normalizeAnswer } from './combiners/vote.js';
import { allFailed } from './internal/allFailed.js';
import { askMember, ensembleResponse, type Arrival } from './internal/ensembleInternals.js';
import { modelFromCall } from '../core/modelCall.js';
import { cancelledAttempt, errorWithTrail, failureTrail, modelIdOf } from './internal/trail.js';

/** Options of {@link ensemble}. */
export interface EnsembleConfig {
  /** How answers become one: `vote()`, `average()`, `weighted(…)`, `judge(model)` or any function. */
  readonly combine: Combiner | CombineFn;
  /** Fewest successful members to combine (default 1); fewer is `all-failed`. */
  readonly minSuccesses?: number;
  /**
   * Answer as soon as this many members agree (by the combiner's `key`), or
   * earlier when the combiner is `settled` (vote: no remaining answers could
   * change the winner), cancelling the rest.
   */
  readonly quorum?: number;
  /** Give each member this long, then count it as failed with `timeout` (and unsubscribe it). */
  readonly memberTimeoutMs?: number;
  readonly scheduler?: SchedulerLike;
}

function positiveInt(name: string, value: number | undefined, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
    throw new TypeError(`ensemble: ${name} must be an integer in [1, ${max}], got ${String(value)}`);
  }
}

/**
 * Asks every model at once and combines their answers, tolerating partial
 * failure: failed members are recorded and the combiner runs on the successes
 * (in arrival order) when there are at least `minSuccesses`. With `quorum: k`
 * it answers as soon as k members agree, or as soon as the combiner is
 * `settled` (the members still out could not change its answer), unsubscribing the others.
 *
 * ```text
 * ensemble([a, b, c], { combine: vote(), quorum: 2 })
 * a:        --x|          "Paris"
 * b:        ---y|         "paris."
 * c:        ------z|      c's sub: ^--!
 * ensemble: ---r|         r.text "Paris", attempts: a, b success, c cancelled
 * ```
 *
 * Emits one response with `modelId` `ensemble(<combiner>)`, `parts` = the
 * successful member responses (in member order), `usage`/`costUsd` summed over
 * members and combiner, `details` from the combiner (e.g. the vote tally) plus
 * `members`/`answered`; or an `all-failed` ModelError carrying every attempt;
 * or the combiner's error.
 *
 * @example
 * ```ts
 * const m = ensemble([claude, nova, llama], { combine: vote(), quorum: 2, memberTimeoutMs: 10_000 });
 * ```
 */
export function ensemble(models: readonly Model[], config: EnsembleConfig): Model {
  if (!Array.isArray(models as unknown) || models.length === 0 || models.some((m) => typeof m !== 'function')) {
    throw new TypeError('ensemble: models must be a non-empty array of Models');
  }
  const combiner: Combiner =
    typeof config?.combine === 'function'
      ? { name: config.combine.name || 'custom', combine: config.combine }
      : config?.combine;
  if (typeof combiner?.combine !== 'function') throw new TypeError('ensemble: combine must be a Combiner or a function');
  positiveInt('minSuccesses', config.minSuccesses, models.length);
  positiveInt('quorum', config.quorum, models.length);
  const minSuccesses = config.minSuccesses ?? 1;
  if (config.quorum !== undefined && config.quorum < minSuccesses) throw new TypeError(`ensemble: quorum (${config.quorum}) must be at least minSuccesses (${minSuccesses})`);
  const memberTimeoutMs = config.memberTimeoutMs;
  if (memberTimeoutMs !== undefined && (typeof memberTimeoutMs !== 'number' || !Number.isFinite(memberTimeoutMs) || memberTimeoutMs <= 0)) {
    throw new TypeError(`ensemble: memberTimeoutMs must be a positive number, got ${String(memberTimeoutMs)}`);
  }
  const keyOf = (r: InferenceResponse) => (combiner.key ? combiner.key(r) : normalizeAnswer(r.text));
  const scheduler = schedulerOf(config);
  const ids = models.map((m, i) => modelIdOf(m, `member[${i}]`));
  const label = `ensemble(${combiner.name})`;

  return modelFromCall((request) => {
    const start = scheduler.now();
    const started = new Set<number>();
    const member = (index: number): Observable<Arrival> =>
      defer(() => {
        started.add(index);
        return askMember({ index, model: models[index]!, modelId: ids[index]! }, request, scheduler, memberTimeoutMs);
      });

    const agreeing = new Map<string, number>();
    const answers: InferenceResponse[] = [];
    let pending = models.length;
    const quorumNotMet = (arrival: Arrival): boolean => {
      if (config.quorum === undefined) return true;
      pending--;
      if (arrival.response !== undefined) {
        const key = keyOf(arrival.response);
        const count = (agreeing.get(key) ?? 0) + 1;
        if (count >= config.quorum) return false;
        agreeing.set(key, count);
        answers.push(arrival.response);
      }
      // no quorum yet, but the members still out could not change the answer
      return !(pending > 0 && answers.length >= minSuccesses && combiner.settled?.(answers, pending) === true);
    };

    return merge(...models.map((_m, i) => member(i))).pipe(
      takeWhile(quorumNotMet, true),
      toArray(),
      mergeMap((arrivals) => {
        const arrived = new Set(arrivals.map((a) => a.index));
        const trail = [
          ...arrivals.flatMap((a) => a.attempts),
          ...models.flatMap((_m, i) => (arrived.has(i) || !started.has(i) ? [] : [cancelledAttempt(ids[i]!, scheduler.now() - start)])),
        ];
        const successes = arrivals.flatMap((a) => (a.response ? [a.response] : []));
        const errors = arrivals.flatMap((a) => (a.error ? [a.error] : []));
        if (successes.length < minSuccesses) {
          const why = successes.length === 0 ? `all ${models.length} members failed` : `${successes.length} of ${models.length} members answered, ${minSuccesses} needed`;
          return throwError(() => allFailed(label, request.id, trail, errors, why));
        }
        const began = scheduler.now();
        return defer(() => {
          const combined = combiner.combine(successes, request);
          return isObservable(combined) ? combined : of(combined);
        }).pipe(
          take(1),
          throwIfEmpty(() => new ModelError('model-error', `${label}: the combiner gave no answer`, { requestId: request.id })),
          map((combined) =>
            ensembleResponse(combined, arrivals, trail, { requestId: request.id, label, combiner: combiner.name, members: models.length, latencyMs: scheduler.now() - start }),
          ),
          catchError((raw: unknown) => {
            const error = toModelError(raw, { requestId: request.id });
            return throwError(() => errorWithTrail(error, [...trail, ...failureTrail(error, `combine(${combiner.name})`, scheduler.now() - began)]));
          }),
        );
      }),
    );
  });
}

