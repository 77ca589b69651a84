import { describe, expect, it } from 'vitest';
import { of, throwError } from 'rxjs';
import { afterReply, fireAndForget } from '../../src/state/storeReply.js';

describe('afterReply', () => {
  it('continues at once with a plain answer and after the first value of an Observable one', () => {
    const seen: number[] = [];
    afterReply(2, (n) => of(n * 10)).subscribe((n) => seen.push(n));
    afterReply(of(3, 4), (n) => of(n * 10)).subscribe((n) => seen.push(n));
    expect(seen).toEqual([20, 30]);
  });

  it('fireAndForget subscribes to an Observable reply and swallows its error', () => {
    let subscribed = 0;
    fireAndForget(throwError(() => (subscribed++, new Error('down'))));
    fireAndForget(5);
    expect(subscribed).toBe(1);
  });
});
