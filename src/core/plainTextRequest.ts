/** True for an array of `{ role, content }` messages whose content is text blocks only, as the codec accepts them unchanged. */
function arePlainTextMessages(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const message of value as unknown[]) {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
    let keys = 0;
    for (const key in message) {
      if (key !== 'role' && key !== 'content') return false;
      keys++;
    }
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (keys !== 2 || (role !== 'user' && role !== 'assistant') || !Array.isArray(content)) return false;
    for (const block of content as unknown[]) {
      if (typeof block !== 'object' || block === null || Array.isArray(block)) return false;
      for (const key in block) if (key !== 'text') return false;
      if (typeof (block as { text?: unknown }).text !== 'string') return false;
    }
  }
  return true;
}

/**
 * True when `input` is a plain object of text turns that `RequestObjectCodec`
 * would accept and hand back unchanged: keys among `id` (non-empty),
 * `messages` (text blocks only), `prompt`, `system` and `task`. The common
 * request skips io-ts this way (≈ 0.1 µs instead of ≈ 1.5 µs); anything else
 * (images, documents, configs, metadata, and every bad input) takes the
 * codec's path and its error report.
 */
export function isPlainTextRequest(input: object): boolean {
  const proto: unknown = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return false;
  // The fields decodeRequest reads by name are checked by name (enumerable or not); the rest by key.
  const { id, messages, prompt } = input as { id?: unknown; messages?: unknown; prompt?: unknown };
  if (id !== undefined && (typeof id !== 'string' || id.length === 0)) return false;
  if (prompt !== undefined && typeof prompt !== 'string') return false;
  if (messages !== undefined && !arePlainTextMessages(messages)) return false;
  for (const key in input) {
    if (key === 'id' || key === 'messages' || key === 'prompt') continue;
    if ((key !== 'system' && key !== 'task') || typeof (input as Record<string, unknown>)[key] !== 'string') return false;
  }
  return true;
}
