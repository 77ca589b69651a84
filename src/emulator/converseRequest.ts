import { tokensOf, type ParsedRequest } from './parsedRequest.js';

function fail(path: string, value: unknown, constraint: string): string {
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'object' ? JSON.stringify(value).slice(0, 60) : String(value)}'`;
  return `1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`;
}

/** Pushes a content block's text onto `texts` and returns how many images it held. */
function visitBlock(block: unknown, texts: string[]): number {
  if (typeof block !== 'object' || block === null) return 0;
  const b = block as Record<string, unknown>;
  if (typeof b.text === 'string') texts.push(b.text);
  else if (b.image !== undefined) return 1;
  else if (b.document !== undefined) {
    const source = (b.document as { source?: { bytes?: unknown; text?: unknown } }).source;
    texts.push(String(source?.bytes ?? source?.text ?? ''));
  }
  else if (b.toolUse !== undefined) texts.push(JSON.stringify((b.toolUse as { input?: unknown }).input ?? ''));
  else if (b.toolResult !== undefined) {
    const content = (b.toolResult as { content?: unknown }).content;
    let images = 0;
    if (Array.isArray(content)) for (const c of content) images += visitBlock(c, texts);
    return images;
  }
  return 0;
}

/**
 * Validates a Converse/ConverseStream body the way Bedrock does and extracts the
 * prompt; returns the `ValidationException` message when the body is invalid.
 */
export function parseConverseBody(body: unknown): ParsedRequest | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'Malformed input request, please reformat your input and try again.';
  const { messages, system, inferenceConfig } = body as Record<string, unknown>;
  if (!Array.isArray(messages)) return fail('messages', messages, 'Member must not be null');
  if (messages.length === 0 || (messages[0] as { role?: unknown } | null)?.role !== 'user')
    return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  const texts: string[] = [];
  let images = 0;
  let prompt = '';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null;
    if (typeof m !== 'object' || m === null) return fail(`messages.${i + 1}.member`, m, 'Member must not be null');
    if (m.role !== 'user' && m.role !== 'assistant') return fail(`messages.${i + 1}.member.role`, m.role, 'Member must satisfy enum value set: [user, assistant]');
    if (!Array.isArray(m.content)) return fail(`messages.${i + 1}.member.content`, m.content, 'Member must not be null');
    if (m.content.length === 0)
      return `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`;
    const blank = m.content.findIndex((b) => typeof (b as { text?: unknown } | null)?.text === 'string' && !(b as { text: string }).text.trim());
    if (blank >= 0) return `The text field in the ContentBlock object at messages.${i}.content.${blank} is blank. Add text to the text field, and try again.`;
    const before = texts.length;
    for (const block of m.content) images += visitBlock(block, texts);
    if (m.role === 'user') prompt = texts.slice(before).join('\n');
  }
  if (Array.isArray(system)) for (const block of system) visitBlock(block, texts);
  let maxTokens: number | undefined;
  if (inferenceConfig !== undefined) {
    if (typeof inferenceConfig !== 'object' || inferenceConfig === null) return fail('inferenceConfig', inferenceConfig, 'Member must be a structure');
    const mt = (inferenceConfig as { maxTokens?: unknown }).maxTokens;
    if (mt !== undefined) {
      if (typeof mt !== 'number' || !Number.isInteger(mt) || mt < 1)
        return fail('inferenceConfig.maxTokens', mt, 'Member must have value greater than or equal to 1');
      maxTokens = mt;
    }
  }
  let chars = 0;
  for (const t of texts) chars += t.length;
  return { prompt, inputTokens: tokensOf(chars, images), images, ...(maxTokens === undefined ? {} : { maxTokens }) };
}
