/** A node of a {@link LinkedQueue}; keep it to remove the value later in O(1). */
export interface QueueNode<T> {
  readonly value: T;
  prev: QueueNode<T> | undefined;
  next: QueueNode<T> | undefined;
  queued: boolean;
}

/**
 * A FIFO queue with O(1) push, shift and removal of any node (a waiter that
 * unsubscribes leaves at once), unlike `Array#shift`, which is O(n).
 */
export class LinkedQueue<T> {
  #head: QueueNode<T> | undefined;
  #tail: QueueNode<T> | undefined;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** The first node, without removing it. */
  peek(): QueueNode<T> | undefined {
    return this.#head;
  }

  push(value: T): QueueNode<T> {
    const node: QueueNode<T> = { value, prev: this.#tail, next: undefined, queued: true };
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
    this.#length++;
    return node;
  }

  shift(): T | undefined {
    const head = this.#head;
    if (head === undefined) return undefined;
    this.remove(head);
    return head.value;
  }

  /** Removes `node` if it is still queued; answers whether it was. */
  remove(node: QueueNode<T>): boolean {
    if (!node.queued) return false;
    node.queued = false;
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = node.next = undefined;
    this.#length--;
    return true;
  }
}
