import fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { firstValueFrom, from, map, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/core/errors.js';
import type { Model } from '../../src/core/model.js';
import { DEFAULT_REQUEST_LIMITS, decodeRequest } from '../../src/core/request.js';
import { orchestrate } from '../../src/stream/orchestrate.js';

/** Answers every request at once, so only decoding can fail. */
const echo: Model = (requests) =>
  requests.pipe(
    map((r) => ({
      requestId: r.id, modelId: 'echo', text: 'ok', message: { role: 'assistant' as const, content: [{ text: 'ok' }] },
      stopReason: 'end_turn' as const, usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 0, attempts: [],
    })),
  );

const valid = (): Record<string, unknown> => ({
  id: 'r1',
  messages: [
    { role: 'user', content: [{ text: 'hello' }, { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } }] },
    { role: 'assistant', content: [{ document: { format: 'txt', name: 'notes', source: { bytes: new Uint8Array([1, 2, 3]) } } }] },
    { role: 'user', content: [{ text: 'and?' }] },
  ],
  system: 'be brief',
  inferenceConfig: { maxTokens: 100, temperature: 0.5, topP: 0.9, stopSequences: ['END'] },
  task: 'chat',
  metadata: { user: 'u1', n: 1, b: true },
});

/** Every field of a request, as a path into {@link valid}, with a value it must not accept (or undefined: anything wrong). */
const FIELDS: readonly (readonly (string | number)[])[] = [
  ['id'], ['messages'], ['system'], ['inferenceConfig'], ['task'], ['metadata'], ['metadata', 'user'],
  ['messages', 0], ['messages', 0, 'role'], ['messages', 0, 'content'], ['messages', 0, 'content', 0], ['messages', 0, 'content', 0, 'text'],
  ['messages', 0, 'content', 1, 'image'], ['messages', 0, 'content', 1, 'image', 'format'], ['messages', 0, 'content', 1, 'image', 'source'],
  ['messages', 0, 'content', 1, 'image', 'source', 'bytes'],
  ['messages', 1, 'content', 0, 'document', 'format'], ['messages', 1, 'content', 0, 'document', 'name'], ['messages', 1, 'content', 0, 'document', 'source', 'bytes'],
  ['inferenceConfig', 'maxTokens'], ['inferenceConfig', 'temperature'], ['inferenceConfig', 'topP'], ['inferenceConfig', 'stopSequences'],
  ['inferenceConfig', 'stopSequences', 0],
];

const pathText = (path: readonly (string | number)[]): string =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');

function setAt(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

/** Values of the wrong type (or out of range) for every field above. */
const wrongValue = fc.oneof(
  fc.constant(null), fc.constant(undefined), fc.boolean(), fc.integer(), fc.double(), fc.constant(Number.NaN), fc.constant(-1), fc.constant(1e9),
  fc.constant(''), fc.string(), fc.constant([]), fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 2 }),
  fc.constant('not base64!'), fc.constant(new Uint8Array(0)), fc.constant('bmp'), fc.constant('system'),
);

/** Whether the reported problem names `path` (or a part of it: a union can stop at the block, a key at its parent). */
const names = (details: readonly string[], path: string): boolean =>
  details.some((d) => {
    const at = d.slice(0, d.indexOf(':'));
    return path.startsWith(at) || at.startsWith(path) || (at === '(root)' && path === '');
  });

describe('fuzzing requests through decodeRequest and orchestrate', () => {
  it('accepts the valid request the fuzzer starts from', () => {
    expect(isRight(decodeRequest(valid()))).toBe(true);
  });

  it('turns a wrong value in any field into a validation error naming that field, and never throws', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), wrongValue, (path, value) => {
        const input = valid();
        setAt(input, path, value);
        const decoded = decodeRequest(input);
        if (isRight(decoded)) return; // e.g. a random string that is a fine task, or undefined on an optional field
        expect(decoded.left).toBeInstanceOf(ModelError);
        expect(decoded.left.kind).toBe('validation');
        expect(decoded.left.details!.length).toBeGreaterThan(0);
        expect(names(decoded.left.details!, pathText(path))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('names every unknown key, at any depth (inside a content block, the block: its union cannot tell which kind was meant)', () => {
    const places: readonly (readonly (string | number)[])[] = [[], ['messages', 0], ['messages', 0, 'content', 0], ['inferenceConfig'], ['messages', 0, 'content', 1, 'image']];
    fc.assert(
      fc.property(fc.constantFrom(...places), fc.stringMatching(/^[a-z]{3,8}X$/), (at, key) => {
        const input = valid();
        const parent = at.length === 0 ? input : (at.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], input) as Record<string, unknown>);
        parent[key] = 1;
        const decoded = decodeRequest(input);
        expect(isLeft(decoded)).toBe(true);
        if (!isLeft(decoded)) return;
        const inBlock = at.length >= 4 && at[2] === 'content';
        if (inBlock) expect(names(decoded.left.details!, pathText(at.slice(0, 4)))).toBe(true);
        else expect(decoded.left.details!.some((d) => d.includes(`unknown key "${key}"`))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws on anything at all, and only ever answers a validation error', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withMap: true, withSet: true, withBigInt: true, withDate: true }), (input) => {
        const decoded = decodeRequest(input);
        if (isLeft(decoded)) {
          expect(decoded.left.kind).toBe('validation');
          expect(decoded.left.details!.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects empty and oversized values with the limit in the message', () => {
    const cases: [unknown, RegExp][] = [
      [{ messages: [] }, /messages: expected at least one message/],
      [{ messages: [{ role: 'user', content: [] }] }, /messages\[0\]\.content: expected at least one content block/],
      [{ prompt: '' , id: '' }, /id: /],
      [{ prompt: 'x'.repeat(DEFAULT_REQUEST_LIMITS.maxTextChars + 1) }, /at most 1000000 characters of text, got 1000001/],
      [{ messages: Array.from({ length: 1001 }, (_v, i) => ({ role: i % 2 ? 'assistant' : 'user', content: [{ text: 'x' }] })) }, /at most 1000 messages, got 1001/],
      [{ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array(DEFAULT_REQUEST_LIMITS.maxBytes + 1) } } }] }] }, /at most 20971520 bytes of images and documents, got 20971521/],
      [{ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array(0) } } }] }] }, /image\.source\.bytes: expected non-empty bytes/],
      [{ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: '%%%not-base64' } } }] }] }, /image\.source\.bytes/],
      [{ messages: [{ role: 'user', content: [{ image: { format: 'bmp', source: { bytes: 'AAAA' } } }] }] }, /image\.format: expected "png" \| "jpeg" \| "gif" \| "webp", got "bmp"/],
    ];
    for (const [input, message] of cases) {
      const decoded = decodeRequest(input);
      expect(isLeft(decoded) && decoded.left.kind).toBe('validation');
      if (isLeft(decoded)) expect(decoded.left.message).toMatch(message);
    }
  });

  it('gives each bad input through orchestrate exactly one validation outcome with its id and the same details; the stream goes on', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...FIELDS), wrongValue, fc.boolean()), { minLength: 1, maxLength: 20 }),
        async (mutations) => {
          const inputs = mutations.map(([path, value, keep], i) => {
            const input = { ...valid(), id: `f${i}` };
            if (!keep) setAt(input, path, value);
            if (path[0] === 'id') input.id = `f${i}`; // keep ids traceable; id itself is covered by decodeRequest above
            return input;
          });
          const outcomes = await firstValueFrom(from(inputs).pipe(orchestrate(echo, { concurrency: 4 }), toArray()));
          expect(outcomes).toHaveLength(inputs.length);
          expect(outcomes.map((o) => (isLeft(o) ? o.left.requestId : o.right.requestId)).sort()).toEqual(inputs.map((i) => i.id).sort());
          for (const outcome of outcomes) {
            const id = isLeft(outcome) ? outcome.left.requestId : outcome.right.requestId;
            const direct = decodeRequest(inputs.find((i) => i.id === id));
            expect(isLeft(outcome)).toBe(isLeft(direct));
            if (isLeft(outcome) && isLeft(direct)) {
              expect(outcome.left.kind).toBe('validation');
              expect(outcome.left.details).toEqual(direct.left.details);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
