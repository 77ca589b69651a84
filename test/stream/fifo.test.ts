import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fifo } from '../../src/stream/fifo.js';

describe('Fifo', () => {
  it('behaves like an array queue across growth and wrap-around', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.constant('shift' as const)), { maxLength: 200 }), (ops) => {
        const fifo = new Fifo<number>();
        const model: number[] = [];
        for (const op of ops) {
          if (op === 'shift') expect(fifo.shift()).toBe(model.shift());
          else {
            fifo.push(op);
            model.push(op);
          }
          expect(fifo.length).toBe(model.length);
        }
        fifo.clear();
        expect([fifo.length, fifo.shift()]).toEqual([0, undefined]);
      }),
    );
  });
});
