import { Observable, takeWhile, type Subscription } from 'rxjs';
import { Fifo } from './fifo.js';

/** Where a pool takes its items from: pulled one at a time, or pushed at it. */
export type Feed<T, R> =
  | { readonly kind: 'pull'; readonly iterator: Iterator<T> }
  | { readonly kind: 'pull-async'; readonly iterator: AsyncIterator<T> }
  | {
      readonly kind: 'push';
      readonly source: Observable<T>;
      /** Items that may wait for a slot; past it `reject` answers at once. */
      readonly maxQueue: number;
      readonly reject: (item: T) => R;
    };

/** How a pool runs its items. */
export interface PoolConfig {
  readonly concurrency: number;
  readonly ordered: boolean;
}

const EMPTY = Symbol('empty');

/**
 * Runs `run(item)` for every item of `feed`, at most `concurrency` at a time.
 * Each `run` must emit exactly one value and complete (as `outcomeOf` does).
 * Pull feeds are read only when a slot is free (so a 10-million-item
 * generator costs `concurrency` items of memory); push feeds wait in an O(1)
 * FIFO bounded by `maxQueue`. With `ordered`, a slot frees when its value is
 * emitted in input order, so the reorder buffer never holds more than
 * `concurrency` values. Errors of the feed itself end the output; unsubscribing
 * cancels every running item and closes the iterator.
 */
export function pool<T, R>(feed: () => Feed<T, R>, run: (item: T) => Observable<R>, config: PoolConfig): Observable<R> {
  const { concurrency, ordered } = config;
  return new Observable<R>((subscriber) => {
    const source = feed();
    const running = new Set<Subscription>();
    let sourceSubscription: Subscription | undefined;
    const queue = new Fifo<T>();
    const held: (R | typeof EMPTY)[] = ordered ? new Array<R | typeof EMPTY>(concurrency).fill(EMPTY) : [];
    let active = 0;
    let started = 0;
    let nextOut = 0;
    let inputDone = false;
    let admitting = false;
    let pulling = false;

    const checkComplete = (): void => {
      if (inputDone && active === 0 && queue.length === 0 && !pulling) subscriber.complete();
    };

    const deliver = (index: number, value: R): void => {
      if (!ordered) {
        subscriber.next(value);
        return;
      }
      held[index % concurrency] = value;
      while (held[nextOut % concurrency] !== EMPTY) {
        const slot = nextOut % concurrency;
        const out = held[slot] as R;
        held[slot] = EMPTY;
        nextOut++;
        active--;
        subscriber.next(out);
      }
    };

    const start = (item: T): void => {
      const index = started++;
      active++;
      let delivered = false;
      const inner = run(item).subscribe({
        next: (value) => {
          if (delivered) return;
          delivered = true;
          deliver(index, value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (!ordered) active--;
          admit();
        },
      });
      if (!inner.closed) {
        running.add(inner);
        inner.add(() => running.delete(inner));
      }
    };

    const pullAsync = (iterator: AsyncIterator<T>): void => {
      if (pulling || inputDone || active >= concurrency || subscriber.closed) return;
      pulling = true;
      Promise.resolve()
        .then(() => iterator.next())
        .then(
          (result) => {
            pulling = false;
            if (subscriber.closed) return;
            if (result.done) inputDone = true;
            else start(result.value);
            admit();
          },
          (error: unknown) => subscriber.error(error),
        );
    };

    function admit(): void {
      if (admitting) return;
      admitting = true;
      try {
        while (active < concurrency && !subscriber.closed) {
          if (queue.length > 0) start(queue.shift() as T);
          else if (source.kind === 'pull' && !inputDone) {
            const result = source.iterator.next();
            if (result.done) inputDone = true;
            else start(result.value);
          } else break;
        }
        if (source.kind === 'pull-async') pullAsync(source.iterator);
      } catch (error) {
        subscriber.error(error);
      } finally {
        admitting = false;
      }
      checkComplete();
    }

    if (source.kind === 'push') {
      // takeWhile stops a synchronous source (e.g. `from(array)`) as soon as the consumer has gone
      sourceSubscription = source.source.pipe(takeWhile(() => !subscriber.closed)).subscribe({
        next: (item) => {
          if (active < concurrency && queue.length === 0) start(item);
          else if (queue.length < source.maxQueue) queue.push(item);
          else subscriber.next(source.reject(item));
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          inputDone = true;
          checkComplete();
        },
      });
    } else admit();

    return () => {
      sourceSubscription?.unsubscribe();
      for (const inner of [...running]) inner.unsubscribe();
      running.clear();
      queue.clear();
      if (source.kind !== 'push' && !inputDone) {
        inputDone = true;
        try {
          const closing = source.iterator.return?.();
          if (closing instanceof Promise) closing.catch(() => undefined);
        } catch {
          // the iterator failed to close; nothing is left to cancel
        }
      }
    };
  });
}
