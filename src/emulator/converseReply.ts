/** What a Converse reply reports: the answer (none when the model's output was malformed), why it stopped, and usage. */
export interface ConverseReplyFields {
  /** The answer's text; `undefined` sends an empty `content` (a malformed model output). */
  readonly text: string | undefined;
  readonly stopReason: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly latencyMs: number;
}

/**
 * The Converse response body as JSON text: byte for byte what `JSON.stringify`
 * gives for `{output: {message: {role: 'assistant', content}}, stopReason, usage, metrics}`,
 * written by hand because it is every Converse call's reply and only the strings
 * need escaping (a third of the cost of serialising the object). The counts are
 * whole numbers, written as `JSON.stringify` writes them.
 *
 * @example
 * ```ts
 * converseReplyJson({ text: '19', stopReason: 'end_turn', inputTokens: 4, outputTokens: 1, latencyMs: 0 });
 * // '{"output":{"message":{"role":"assistant","content":[{"text":"19"}]}},"stopReason":"end_turn","usage":{"inputTokens":4,"outputTokens":1,"totalTokens":5},"metrics":{"latencyMs":0}}'
 * ```
 */
export function converseReplyJson(f: ConverseReplyFields): string {
  const content = f.text === undefined ? '[]' : `[{"text":${JSON.stringify(f.text)}}]`;
  return (
    `{"output":{"message":{"role":"assistant","content":${content}}},"stopReason":${JSON.stringify(f.stopReason)},` +
    `"usage":{"inputTokens":${f.inputTokens},"outputTokens":${f.outputTokens},"totalTokens":${f.inputTokens + f.outputTokens}},` +
    `"metrics":{"latencyMs":${f.latencyMs}}}`
  );
}
