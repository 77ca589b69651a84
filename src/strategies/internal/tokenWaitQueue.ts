import { isObservable, Observable, take, type SchedulerLike, type Subscription } from 'rxjs';
import { toModelError, type ModelError } from '../../core/errors.js';
import type { InferenceRequest } from '../../core/request.js';
import type { InferenceResponse } from '../../core/response.js';
import type { Store, StoreReply, TokenTake, TokenTakeResult } from '../../state/store.js';
import { LinkedQueue, type QueueNode } from './linkedQueue.js';

interface Waiter {
  readonly request: InferenceRequest;
  readonly takes: readonly TokenTake[];
  readonly deadline: number;
  readonly start: () => void;
  readonly reject: (error: ModelError) => void;
}

/** What a {@link TokenWaitQueue} needs from its rate limiter. */
export interface TokenWaitQueueConfig {
  readonly store: Store;
  readonly scheduler: () => SchedulerLike;
  readonly maxWaitMs: number;
  /** The `throttled` error (and event) for a request that cannot be served in time. */
  readonly throttled: (request: InferenceRequest, waitMs: number, now: number) => ModelError;
  /** Called when a request starts waiting (for events). */
  readonly queued: (request: InferenceRequest, waitMs: number, now: number, queueLength: number) => void;
  /** Gives tokens back to a bucket (a waiter left after its tokens were granted). */
  readonly refund: (take: TokenTake, amount: number) => void;
}

const amountOf = (t: TokenTake) => Math.min(t.amount, t.capacity);

/**
 * The waiting room of a rate limiter: a FIFO of requests (O(1) push, shift
 * and removal of a waiter that unsubscribes) served from the token buckets
 * by one timer for the whole queue, never one per request. It also predicts
 * how long a newcomer would wait behind everyone queued.
 */
export class TokenWaitQueue {
  readonly #queue = new LinkedQueue<Waiter>();
  /** Tokens the queued waiters want, per bucket position. */
  readonly #demand: number[] = [];
  readonly #config: TokenWaitQueueConfig;
  #timer: Subscription | undefined;
  #draining = false;

  constructor(config: TokenWaitQueueConfig) {
    this.#config = config;
  }

  get length(): number {
    return this.#queue.length;
  }

  /** Whole ms until the buckets (at `remaining`) could serve `takes` after everyone queued. */
  predictWaitMs(takes: readonly TokenTake[], remaining: readonly number[]): number {
    let waitMs = 0;
    takes.forEach((t, i) => {
      const missing = (this.#demand[i] ?? 0) + amountOf(t) - remaining[i]!;
      if (missing > 0) waitMs = Math.max(waitMs, Math.ceil((missing * t.refillMs) / t.capacity - 1e-9));
    });
    return waitMs;
  }

  /** Serves the queue now if it is waiting (after a refund made room). */
  kick(): void {
    if (this.#queue.length > 0 && !this.#draining) this.#drain();
  }

  /** The request's answer once the buckets serve it (`run` then calls the model), or `throttled` past its deadline. */
  wait(request: InferenceRequest, takes: readonly TokenTake[], now: number, waitMs: number, run: () => Observable<InferenceResponse>): Observable<InferenceResponse> {
    return new Observable<InferenceResponse>((subscriber) => {
      let inner: Subscription | undefined;
      const node = this.#queue.push({
        request,
        takes,
        deadline: now + this.#config.maxWaitMs,
        start: () => (inner = run().subscribe(subscriber)),
        reject: (error) => subscriber.error(error),
      });
      takes.forEach((t, i) => (this.#demand[i] = (this.#demand[i] ?? 0) + amountOf(t)));
      this.#config.queued(request, waitMs, now, this.#queue.length);
      if (this.#queue.length === 1 && !this.#draining) this.#timer = this.#config.scheduler().schedule(() => this.#drain(), waitMs);
      return () => {
        const wasHead = this.#queue.peek() === node;
        if (this.#leave(node) && wasHead && !this.#draining) this.#drain();
        inner?.unsubscribe();
      };
    });
  }

  #leave(node: QueueNode<Waiter>): boolean {
    if (!this.#queue.remove(node)) return false;
    node.value.takes.forEach((t, i) => (this.#demand[i] = this.#demand[i]! - amountOf(t)));
    return true;
  }

  /** Serves the head for as long as the buckets allow; then sets the one timer. */
  #drain(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
    if (this.#draining) return;
    this.#draining = true;
    while (this.#queue.length > 0) {
      const now = this.#config.scheduler().now();
      const node = this.#queue.peek()!;
      const reply: StoreReply<TokenTakeResult> = this.#config.store.takeTokens(node.value.takes, now);
      if (isObservable(reply)) {
        reply.pipe(take(1)).subscribe({
          next: (result) => {
            this.#draining = false;
            if (this.#queue.peek() === node) {
              if (this.#serveHead(node, result, now)) this.#drain();
            } else {
              // The waiter left while the store answered: give its tokens back.
              if (result.granted) node.value.takes.forEach((t) => this.#config.refund(t, amountOf(t)));
              this.#drain();
            }
          },
          error: (e: unknown) => {
            this.#draining = false;
            if (this.#leave(node)) node.value.reject(toModelError(e, { requestId: node.value.request.id, source: 'rateLimit store' }));
            this.#drain();
          },
        });
        return;
      }
      if (!this.#serveHead(node, reply, now)) break;
    }
    this.#draining = false;
  }

  /** Starts or throttles the head; answers whether to go on with the next one. */
  #serveHead(node: QueueNode<Waiter>, result: TokenTakeResult, now: number): boolean {
    const head = node.value;
    if (result.granted) {
      this.#leave(node);
      head.start();
      return true;
    }
    if (now + result.waitMs > head.deadline) {
      this.#leave(node);
      head.reject(this.#config.throttled(head.request, result.waitMs, now));
      return true;
    }
    this.#timer = this.#config.scheduler().schedule(() => this.#drain(), result.waitMs);
    return false;
  }
}
