import type { Readable } from 'node:stream';

/** One line of a JSONL input: its 1-based number and text, or why it was not read. */
export type JsonlLine = { readonly line: number; readonly text: string } | { readonly line: number; readonly tooLong: number };

/**
 * Splits a byte stream into lines lazily (the consumer pulls, so a large file
 * is never held in memory). A line longer than `maxLineChars` is skipped to
 * its end and reported as `tooLong`, so one bad line cannot exhaust memory.
 * Blank lines are passed over but counted.
 */
export async function* jsonlLines(input: Readable, maxLineChars: number): AsyncGenerator<JsonlLine> {
  let buffered = '';
  let line = 0;
  let overflow = 0;
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      line++;
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      if (overflow > 0 || buffered.length + piece.length > maxLineChars) {
        yield { line, tooLong: overflow + buffered.length + piece.length };
      } else {
        const text = (buffered + piece).replace(/\r$/, '');
        if (text.trim().length > 0) yield { line, text };
      }
      buffered = '';
      overflow = 0;
    }
    const rest = chunk.slice(start);
    if (overflow > 0 || buffered.length + rest.length > maxLineChars) {
      overflow += buffered.length + rest.length;
      buffered = '';
    } else buffered += rest;
  }
  if (overflow > 0) yield { line: line + 1, tooLong: overflow };
  else if (buffered.trim().length > 0) yield { line: line + 1, text: buffered.replace(/\r$/, '') };
}
