/** A listener of {@link CallAbort}'s `abort` event. */
type AbortListener = (this: CallAbort, event: { readonly type: 'abort'; readonly target: CallAbort }) => unknown;

/**
 * The abort signal of one SDK call, with its `abort()`: what the AWS SDK
 * reads of an `AbortSignal` (`aborted`, `reason`, `onabort`, and
 * `addEventListener`/`removeEventListener` of `'abort'`) and nothing else.
 * Node's `AbortController` with the two listeners the SDK adds and removes per
 * call costs ≈ 10 µs a request; this costs well under 1 µs. `abort()` sets
 * `aborted`, a `reason` (an `AbortError` `DOMException`, as Node's), then calls
 * `onabort` and each listener once.
 *
 * @example
 * ```ts
 * const abort = new CallAbort();
 * client.send(command, { abortSignal: abort }); // later: abort.abort()
 * ```
 */
export class CallAbort {
  /** True once {@link CallAbort.abort} ran. */
  aborted = false;
  /** Why it was aborted (set by {@link CallAbort.abort}). */
  reason: unknown = undefined;
  /** Called on abort, before the listeners. */
  onabort: AbortListener | null = null;
  private listeners: AbortListener[] | undefined = undefined;

  /** Adds an `'abort'` listener (other event types never fire). */
  addEventListener(type: string, listener: AbortListener): void {
    if (type !== 'abort' || typeof listener !== 'function') return;
    (this.listeners ??= []).push(listener);
  }

  /** Removes an `'abort'` listener. */
  removeEventListener(type: string, listener: AbortListener): void {
    const at = type === 'abort' && this.listeners !== undefined ? this.listeners.indexOf(listener) : -1;
    if (at >= 0) this.listeners!.splice(at, 1);
  }

  /** Aborts once: later calls do nothing. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const event = { type: 'abort', target: this } as const;
    const listeners = this.listeners ?? [];
    this.listeners = undefined;
    this.onabort?.call(this, event);
    for (const listener of listeners) listener.call(this, event);
  }
}
