/** True for an array of `{ role, content }` messages whose content is text blocks only, as the codec accepts them unchanged. */
function arePlainTextMessages(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const message of value as unknown[]) {
    if (typeof message !== 'object' || message === null || Array.isArray(message) || Object.keys(message).length !== 2) return false;
    const { role, content } = message as { role?: unknown; content?: unknown };
    if ((role !== 'user' && role !== 'assistant') || !Array.isArray(content) || !Object.hasOwn(message, 'role') || !Object.hasOwn(message, 'content')) return false;
    for (const block of content as unknown[]) {
      if (typeof block !== 'object' || block === null || Array.isArray(block) || Object.keys(block).length !== 1) return false;
      if (!Object.hasOwn(block, 'text') || typeof (block as { text?: unknown }).text !== 'string') return false;
    }
  }
  return true;
}

/**
 * True when `input` is a plain object of text turns that the request codec
 * would accept and hand back unchanged: own keys among `id` (non-empty),
 * `messages` (text blocks only), `prompt`, `system` and `task`. The common
 * request skips io-ts this way; anything else (images, documents, configs,
 * metadata, and every bad input) takes the codec's path and its error report.
 */
export function isPlainTextRequest(input: object): boolean {
  const proto: unknown = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const [key, value] of Object.entries(input)) {
    if (key === 'messages') {
      if (!arePlainTextMessages(value)) return false;
    } else if (key === 'id') {
      if (typeof value !== 'string' || value.length === 0) return false;
    } else if ((key !== 'prompt' && key !== 'system' && key !== 'task') || typeof value !== 'string') {
      return false;
    }
  }
  return true;
}
