import { describe, it } from 'vitest';
import type { RuntimeEvent } from '../../src/core/events.js';
import { NO_STREAM_STATS, streamStats } from '../../src/streaming/streamStats.js';
import { testScheduler } from './helpers.js';

describe('streamStats', () => {
  it('scans first-token, stream-completed and stream-stalled events into running totals, ignoring others', () => {
    const events: Record<string, RuntimeEvent> = {
      f: { type: 'first-token', time: 1, requestId: 'r1', modelId: 'a', ttftMs: 40 },
      g: { type: 'first-token', time: 2, requestId: 'r2', modelId: 'a', ttftMs: 100 },
      s: { type: 'stream-completed', time: 3, requestId: 'r1', modelId: 'a', tokensPerSecond: 50 },
      t: { type: 'stream-completed', time: 4, requestId: 'r2', modelId: 'a', tokensPerSecond: 30 },
      x: { type: 'stream-stalled', time: 5, requestId: 'r3', modelId: 'b', silentMs: 2000 },
      o: { type: 'hedge-fired', time: 6, requestId: 'r3', attempt: 2 },
    };
    testScheduler().run(({ hot, expectObservable }) => {
      expectObservable(streamStats(hot('-f-g-s-o-t-x|', events))).toBe('-a-b-c---d-e|', {
        a: { ...NO_STREAM_STATS, firstTokens: 1, ttftMeanMs: 40, ttftMaxMs: 40 },
        b: { ...NO_STREAM_STATS, firstTokens: 2, ttftMeanMs: 70, ttftMaxMs: 100 },
        c: { ...NO_STREAM_STATS, firstTokens: 2, ttftMeanMs: 70, ttftMaxMs: 100, completed: 1, tokensPerSecondMean: 50 },
        d: { ...NO_STREAM_STATS, firstTokens: 2, ttftMeanMs: 70, ttftMaxMs: 100, completed: 2, tokensPerSecondMean: 40 },
        e: { firstTokens: 2, ttftMeanMs: 70, ttftMaxMs: 100, completed: 2, tokensPerSecondMean: 40, stalls: 1 },
      });
    });
  });
});
