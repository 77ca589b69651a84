import { describe, expect, it } from 'vitest';
import { LinkedQueue } from '../../../src/strategies/internal/linkedQueue.js';

describe('LinkedQueue', () => {
  it('is FIFO and removes any node once, in O(1)', () => {
    const queue = new LinkedQueue<string>();
    const a = queue.push('a');
    const b = queue.push('b');
    const c = queue.push('c');
    expect(queue.remove(b)).toBe(true);
    expect(queue.remove(b)).toBe(false);
    expect(queue.length).toBe(2);
    expect(queue.peek()).toBe(a);
    expect(queue.shift()).toBe('a');
    expect(queue.remove(c)).toBe(true);
    expect(queue.shift()).toBeUndefined();
    queue.push('d');
    expect([queue.length, queue.shift(), queue.length]).toEqual([1, 'd', 0]);
  });
});
