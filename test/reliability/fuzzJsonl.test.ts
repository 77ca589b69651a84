import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonlLines, type JsonlLine } from '../../src/cli/jsonlLines.js';
import { decodeRequest } from '../../src/core/request.js';
import { startCli } from '../cli/cliProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'rxb-fuzz-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(chunks: readonly Buffer[], max: number): Promise<JsonlLine[]> {
  const out: JsonlLine[] = [];
  for await (const line of jsonlLines(Readable.from(chunks, { objectMode: false }), max)) out.push(line);
  return out;
}

/** What `jsonlLines` must yield for `lines` joined by newlines (with or without a final one: the same). */
function expected(lines: readonly string[], max: number): JsonlLine[] {
  return lines.flatMap((text, i): JsonlLine[] => {
    if (text.length > max) return [{ line: i + 1, tooLong: text.length }];
    const clean = text.replace(/\r$/, '');
    return clean.trim().length > 0 ? [{ line: i + 1, text: clean }] : [];
  });
}

const lineText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')),
  fc.constantFrom('', '   ', '\r', '{"prompt":"hi"}\r'),
);

describe('fuzzing JSONL input', () => {
  it('splits any text, cut into any chunks (even inside a UTF-8 character), into the same numbered lines, and reports each long line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineText, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 30 }), fc.boolean(), async (lines, cuts, max, trailingNewline) => {
        const bytes = Buffer.from(lines.join('\n') + (trailingNewline ? '\n' : ''), 'utf8');
        const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...offsets].map((start, i, all) => bytes.subarray(start, all[i + 1] ?? bytes.length)).filter((c) => c.length > 0);
        expect(await readAll(chunks, max)).toEqual(expected(lines, max));
      }),
      { numRuns: 300 },
    );
  });

  it('runs a generated file of good, bad, blank and over-long lines through the real bin: one result per line, each bad line a validation error naming its line', async () => {
    const bad = fc.oneof(
      fc.string({ maxLength: 30 }).filter((s) => !s.includes('\n') && s.trim().length > 0),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc.constantFrom('{"prompt": 42}', '{"messages": []}', '{"prompt": "a", "extra": 1}', '[1,2]', 'null', '{"prompt": "hi"', '{"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"@@"}}}]}]}'),
    );
    const kind = fc.oneof(
      { weight: 3, arbitrary: fc.constant('good' as const) },
      { weight: 4, arbitrary: bad },
      { weight: 1, arbitrary: fc.constantFrom('', '   ') },
      { weight: 1, arbitrary: fc.constant('long' as const) },
    );
    const lines = fc.sample(fc.array(kind, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 42 })[0]!.map((k, i) =>
      k === 'good' ? JSON.stringify({ id: `good-${i + 1}`, prompt: `What is ${i} + 1?` }) : k === 'long' ? JSON.stringify({ prompt: 'x'.repeat(400) }) : k,
    );
    const input = join(dir, 'input.jsonl');
    const output = join(dir, 'output.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const result = await startCli(['run', '--config', 'examples/strategies/fallback.yaml', '--input', input, '--output', output, '--emulator', '--max-line-chars', '300', '--concurrency', '8']).exited;
    expect(result.signal).toBeNull();
    expect([0, 1]).toContain(result.code);
    const records = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; line: number; ok: boolean; error?: { kind: string; message: string } });
    const nonBlank = lines.map((text, i) => ({ text, line: i + 1 })).filter((l) => l.text.trim().length > 0);
    expect(records.map((r) => r.line).sort((a, b) => a - b)).toEqual(nonBlank.map((l) => l.line));
    expect(records.some((r) => r.ok) && records.some((r) => !r.ok)).toBe(true);
    for (const { text, line } of nonBlank) {
      const record = records.find((r) => r.line === line)!;
      let decodes = false;
      try {
        const parsed: unknown = JSON.parse(text);
        decodes = text.length <= 300 && !isLeft(decodeRequest(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && !('id' in parsed) ? { ...parsed, id: 'x' } : parsed));
      } catch {
        decodes = false;
      }
      if (decodes) expect(record.ok).toBe(true);
      else {
        expect(record.ok).toBe(false);
        expect(record.error!.kind).toBe('validation');
        expect(record.error!.message).toMatch(new RegExp(`^line ${line}: `));
        if (text.length > 300) expect(record.error!.message).toMatch(/longer than 300 characters/);
      }
    }
  }, 30_000);
});
