import { isObservable, mergeMap, take, type Observable, type Subscription } from 'rxjs';
import type { StoreReply } from './store.js';

/**
 * Continues with a store's answer: called at once for a synchronous answer
 * (no extra subscription on the in-memory hot path), after its first value
 * for an Observable one.
 *
 * @example
 * ```ts
 * afterReply(store.breakerAcquire(key, policy, now), (permit) => permit.permitted ? call$ : throwError(() => open));
 * ```
 */
export function afterReply<T, R>(reply: StoreReply<T>, next: (value: T) => Observable<R>): Observable<R> {
  return isObservable(reply) ? reply.pipe(take(1), mergeMap(next)) : next(reply);
}

/** Runs a store write whose answer nobody waits for (an Observable reply is subscribed to and its errors dropped). */
export function fireAndForget<T>(reply: StoreReply<T>): void {
  if (isObservable(reply)) reply.pipe(take(1)).subscribe({ error: () => undefined });
}

/**
 * Calls `next` with a store's answer — at once for a synchronous one — or
 * `error` if an Observable answer fails. Answers the subscription to cancel
 * (undefined when the answer was synchronous). For hand-written hot paths
 * that cannot afford an operator chain.
 */
export function onReply<T>(reply: StoreReply<T>, next: (value: T) => void, error: (e: unknown) => void): Subscription | undefined {
  if (!isObservable(reply)) {
    next(reply);
    return undefined;
  }
  return reply.pipe(take(1)).subscribe({ next, error });
}
