import { catchError, defer, from, isObservable, map, of, tap, throwError, timeout, type Observable, type SchedulerLike } from 'rxjs';
import { ModelError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { StoreReply } from '../state/store.js';
import type { RedisFailMode } from './redisStoreConfig.js';

/** What a {@link RedisGuard} needs: the fail mode, its timings, a bus and a clock. */
export interface RedisGuardConfig {
  readonly failMode: RedisFailMode;
  readonly commandTimeoutMs: number;
  readonly recheckMs: number;
  readonly events: EventBus;
  readonly scheduler: SchedulerLike;
}

/**
 * Runs Redis calls for a store with a deadline and a fail mode, and remembers
 * whether Redis is failing. A call that errors or misses `commandTimeoutMs`
 * makes the guard degraded (one `store-degraded` event per outage); while
 * degraded, calls are not sent for `recheckMs` and answer at once — from
 * local state in `open` mode, with an `unavailable` ModelError (`source:
 * 'redis'`) in `closed` mode. The first call that succeeds ends the outage.
 */
export class RedisGuard {
  readonly #config: RedisGuardConfig;
  #degraded = false;
  #recheckAt = 0;

  constructor(config: RedisGuardConfig) {
    this.#config = config;
  }

  /** True while Redis is failing. */
  get degraded(): boolean {
    return this.#degraded;
  }

  /** `call`'s reply through `parse`, or the degraded answer (`local()` or an error). */
  run<T>(operation: string, call: () => Promise<unknown>, parse: (reply: unknown) => T, local: () => StoreReply<T>): Observable<T> {
    const { commandTimeoutMs, failMode, scheduler, events, recheckMs } = this.#config;
    const degradedAnswer = (error: unknown, message: string): Observable<T> => {
      if (failMode === 'closed') return throwError(() => new ModelError('unavailable', message, { source: 'redis', cause: error }));
      const reply = local();
      return isObservable(reply) ? reply : of(reply);
    };
    return defer(() => {
      if (this.#degraded && scheduler.now() < this.#recheckAt) return degradedAnswer(undefined, `redis ${operation} skipped: the store is degraded`);
      return from(call()).pipe(
        timeout({ first: commandTimeoutMs, scheduler, with: () => throwError(() => new Error(`no answer in ${commandTimeoutMs} ms`)) }),
        map(parse),
        tap(() => {
          this.#degraded = false;
        }),
        catchError((error: unknown) => {
          const message = `redis ${operation} failed: ${error instanceof Error ? error.message : String(error)}`;
          this.#recheckAt = scheduler.now() + recheckMs;
          if (!this.#degraded) {
            this.#degraded = true;
            const mode = failMode === 'open' ? 'fail-open' : 'fail-closed';
            events.emit({ type: 'store-degraded', time: scheduler.now(), requestId: '', store: 'redis', mode, message });
          }
          return degradedAnswer(error, message);
        }),
      );
    });
  }
}
