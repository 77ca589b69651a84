import { Readable } from 'node:stream';
import { isLeft } from 'fp-ts/lib/Either.js';
import { firstValueFrom, from, map, merge, NEVER, of, mergeMap, take, toArray, catchError, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { jsonlLines } from '../../src/cli/jsonlLines.js';
import { ConfigError, DEFAULT_STRATEGY_FILE_LIMITS, parseStrategyFile } from '../../src/config/parseStrategyFile.js';
import { ModelError } from '../../src/core/errors.js';
import { invoke, type Model } from '../../src/core/model.js';
import { decodeRequest, DEFAULT_REQUEST_LIMITS } from '../../src/core/request.js';
import type { InferenceResponse } from '../../src/core/response.js';
import { orchestrate } from '../../src/stream/orchestrate.js';
import { withConcurrency } from '../../src/strategies/withConcurrency.js';
import { withRateLimit } from '../../src/strategies/withRateLimit.js';
import { startCli } from '../cli/cliProcess.js';

const answer = (requestId: string): InferenceResponse => ({
  requestId, modelId: 'm', text: 'ok', message: { role: 'assistant', content: [{ text: 'ok' }] }, stopReason: 'end_turn',
  usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 0, attempts: [],
});
const instant: Model = (requests) => requests.pipe(map((r) => answer(r.id)));
const forever: Model = (requests) => requests.pipe(mergeMap(() => NEVER));
const errorOf = (o$: Observable<unknown>): Promise<ModelError> => firstValueFrom(o$.pipe(map(() => undefined), catchError((e: ModelError) => of(e)))) as Promise<ModelError>;

describe('limits: each one configurable, each with a clear error when hit', () => {
  it('request size: text, messages and bytes, with the defaults and with configured limits', () => {
    expect(DEFAULT_REQUEST_LIMITS).toEqual({ maxTextChars: 1_000_000, maxMessages: 1_000, maxBytes: 20 * 1024 * 1024 });
    const limits = { maxTextChars: 10, maxMessages: 2, maxBytes: 4 };
    const cases: [unknown, string][] = [
      [{ prompt: 'x'.repeat(11) }, 'messages: at most 10 characters of text, got 11'],
      [{ prompt: 'hello', system: 'x'.repeat(6) }, 'messages: at most 10 characters of text, got 11'],
      [{ messages: ['user', 'assistant', 'user'].map((role) => ({ role, content: [{ text: 'a' }] })) }, 'messages: at most 2 messages, got 3'],
      [{ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array(5) } } }] }] }, 'messages: at most 4 bytes of images and documents, got 5'],
    ];
    for (const [input, message] of cases) {
      const decoded = decodeRequest(input, limits);
      expect(isLeft(decoded) && decoded.left.details).toEqual([message]);
      expect(isLeft(decodeRequest(input))).toBe(false);
    }
  });

  it('request size through orchestrate: the limits option gives an over-large request a validation outcome', async () => {
    const outcomes = await firstValueFrom(
      from([{ id: 'small', prompt: 'hi' }, { id: 'big', prompt: 'x'.repeat(100) }]).pipe(orchestrate(instant, { limits: { maxTextChars: 50 } }), toArray()),
    );
    const big = outcomes.find((o) => isLeft(o))!;
    expect(isLeft(big) && [big.left.kind, big.left.requestId, big.left.message]).toEqual(['validation', 'big', 'invalid request: messages: at most 50 characters of text, got 100']);
    expect(outcomes.filter((o) => !isLeft(o))).toHaveLength(1);
    expect(() => orchestrate(instant, { limits: { maxBytes: -1 } })).toThrow(new TypeError('orchestrate: limits.maxBytes must be a non-negative integer, got -1'));
  });

  it('JSONL line length: a longer line is skipped to its end and reported, the next line is read', async () => {
    const lines = [];
    for await (const line of jsonlLines(Readable.from([Buffer.from('{"prompt":"ok"}\n'), Buffer.from(`{"prompt":"${'x'.repeat(50)}"}\n{"prompt":"next"}\n`)]), 20)) lines.push(line);
    expect(lines).toEqual([{ line: 1, text: '{"prompt":"ok"}' }, { line: 2, tooLong: 63 }, { line: 3, text: '{"prompt":"next"}' }]);
  });

  it('JSONL line length on the command line: --max-line-chars must be a positive integer', async () => {
    const result = await startCli(['run', '--config', 'examples/strategies/fallback.yaml', '--emulator', '--max-line-chars', '0']).exited;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-line-chars: expected an integer from 1 to');
  });

  it('config depth and size: deeper or longer files are a ConfigError, with the defaults and configured limits', () => {
    expect(DEFAULT_STRATEGY_FILE_LIMITS).toEqual({ maxDepth: 32, maxChars: 1024 * 1024 });
    const nested = (depth: number): string => `{"strategy": ${'{"retry": {"count": 1, "model": '.repeat(depth)}"amazon.nova-lite-v1:0"${'}}'.repeat(depth)}}`;
    expect(isLeft(parseStrategyFile(nested(5), 'ok.json'))).toBe(false);
    const deep = parseStrategyFile(nested(20), 'deep.json');
    expect(isLeft(deep) && deep.left.message).toBe('deep.json: nested deeper than 32 levels');
    const configured = parseStrategyFile(nested(5), 'five.json', { maxDepth: 8, maxChars: 10_000 });
    expect(isLeft(configured) && configured.left.message).toBe('five.json: nested deeper than 8 levels');
    const long = parseStrategyFile(nested(5), 'long.json', { maxDepth: 32, maxChars: 100 });
    expect(isLeft(long) && long.left.message).toMatch(/^long\.json: the file has \d+ characters; at most 100 are read$/);
    // Very deep text never overflows the stack: JSON and YAML both end in a ConfigError.
    for (const source of ['x.json', 'x.yaml']) {
      const result = parseStrategyFile(`{"strategy": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`, source);
      expect(isLeft(result) && result.left).toBeInstanceOf(ConfigError);
    }
  });

  it('config aliases: a YAML alias bomb is a ConfigError, not a thrown ReferenceError', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`), 'strategy: *i'];
    const result = parseStrategyFile(levels.join('\n'), 'bomb.yaml');
    expect(isLeft(result) && result.left).toBeInstanceOf(ConfigError);
    expect(isLeft(result) && result.left.message).toMatch(/^bomb\.yaml: not valid YAML: Excessive alias count/);
  });

  it('orchestrate maxQueue: past it, each request gets a queue-full outcome at once', async () => {
    const outcomes = await firstValueFrom(
      from(['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, prompt: id }))).pipe(orchestrate(forever, { concurrency: 1, maxQueue: 2 }), take(2), toArray()),
    );
    expect(outcomes.map((o) => isLeft(o) && [o.left.kind, o.left.requestId, o.left.message])).toEqual([
      ['queue-full', 'd', 'request queue is full (maxQueue 2)'],
      ['queue-full', 'e', 'request queue is full (maxQueue 2)'],
    ]);
    expect(() => orchestrate(forever, { maxQueue: -1 })).toThrow(/maxQueue must be a non-negative integer or Infinity/);
  });

  it('withConcurrency maxQueue: past it, queue-full naming the bulkhead', async () => {
    const bulkhead = withConcurrency(forever, 1, { maxQueue: 1, key: 'db' });
    const running = merge(invoke(bulkhead, 'a'), invoke(bulkhead, 'b')).subscribe();
    const error = await errorOf(invoke(bulkhead, 'c'));
    running.unsubscribe();
    expect([error.kind, error.message]).toEqual(['queue-full', 'bulkhead db: 1 in flight and 1 waiting']);
    expect(() => withConcurrency(forever, 1, { maxQueue: 1.5 })).toThrow(TypeError);
    expect(() => withConcurrency(forever, 1, { maxQueue: 1.5 })).toThrow(/maxQueue/);
  });

  it('withRateLimit maxQueue: past it, throttled with the limit in the message', async () => {
    const limited = withRateLimit(instant, { rpm: 1, mode: 'wait', maxQueue: 1, key: 'api' });
    await firstValueFrom(invoke(limited, 'first takes the only token'));
    const waiting = invoke(limited, 'second waits a minute').subscribe();
    const error = await errorOf(invoke(limited, 'third finds the queue full'));
    waiting.unsubscribe();
    expect([error.kind, error.message]).toEqual(['throttled', 'rate limit api: queue is full (maxQueue 1)']);
    expect(() => withRateLimit(instant, { rpm: 1, mode: 'wait', maxQueue: -1 })).toThrow(/maxQueue/);
  });
});
