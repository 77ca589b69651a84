import type { ModelFamily } from './families.js';
import { parseConverseBody } from './converseRequest.js';
import { checkFields, malformed, tokensOf, type ParsedRequest } from './parsedRequest.js';

type Body = Record<string, unknown>;

/** Text and image count of chat messages whose `content` is a string or a list of blocks (Anthropic, Jamba, Mistral chat). */
function chat(messages: unknown[], system: unknown, maxTokens: unknown): ParsedRequest | string {
  let chars = typeof system === 'string' ? system.length : 0;
  if (Array.isArray(system)) for (const s of system) chars += String((s as { text?: unknown } | null)?.text ?? '').length;
  let images = 0;
  let prompt = '';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null;
    if (typeof m !== 'object' || m === null) return malformed(`#/messages/${i}: expected type: JSONObject, found: Null`);
    if (m.role === undefined) return malformed(`#/messages/${i}: required key [role] not found`);
    if (m.content === undefined) return malformed(`#/messages/${i}: required key [content] not found`);
    let text = '';
    if (typeof m.content === 'string') text = m.content;
    else if (Array.isArray(m.content)) {
      for (const block of m.content as { type?: unknown; text?: unknown }[]) {
        if (block?.type === 'image') images++;
        else if (typeof block?.text === 'string') text += (text ? '\n' : '') + block.text;
      }
    }
    chars += text.length;
    if (m.role === 'user') prompt = text;
  }
  return { prompt, inputTokens: tokensOf(chars, images), images, ...(typeof maxTokens === 'number' ? { maxTokens } : {}) };
}

function completion(prompt: string, lastTurn: RegExp, maxTokens: unknown): ParsedRequest {
  let last = prompt;
  for (const m of prompt.matchAll(lastTurn)) last = m[1]!;
  return { prompt: last.trim(), inputTokens: tokensOf(prompt.length), images: 0, ...(typeof maxTokens === 'number' ? { maxTokens } : {}) };
}

/**
 * Validates a model-native InvokeModel body (wire reference §5) and extracts the
 * prompt, the input tokens and the max tokens; returns the `ValidationException`
 * message (`Malformed input request: #: required key [max_tokens] not found, …`) when invalid.
 */
export function parseInvokeBody(family: ModelFamily, body: unknown): ParsedRequest | string {
  const b = body as Body;
  switch (family) {
    case 'anthropic-messages':
      return checkFields(body, { anthropic_version: 'string', max_tokens: 'integer', messages: 'array' }, { temperature: 'number', top_p: 'number', top_k: 'integer', stop_sequences: 'array' }) ??
        chat(b.messages as unknown[], b.system, b.max_tokens);
    case 'anthropic-text':
      return checkFields(body, { prompt: 'string', max_tokens_to_sample: 'integer' }, { temperature: 'number', stop_sequences: 'array' }) ??
        completion(b.prompt as string, /Human:([\s\S]*?)(?:\n\nAssistant:|$)/g, b.max_tokens_to_sample);
    case 'titan-text': {
      const err = checkFields(body, { inputText: 'string' }, { textGenerationConfig: 'object' });
      if (err) return err;
      const max = (b.textGenerationConfig as { maxTokenCount?: unknown } | undefined)?.maxTokenCount;
      if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 0))
        return malformed(`#/textGenerationConfig/maxTokenCount: expected type: Integer, found: ${typeof max}`);
      return completion((b.inputText as string).replace(/\n?Bot:\s*$/, ''), /User:([\s\S]*?)(?:\nBot:|$)/g, max);
    }
    case 'nova': {
      const err = checkFields(body, { messages: 'array' }, { schemaVersion: 'string', system: 'array', inferenceConfig: 'object' });
      if (err) return err;
      const cfg = (b.inferenceConfig ?? {}) as { maxTokens?: unknown; max_new_tokens?: unknown };
      const parsed = parseConverseBody({ messages: b.messages, system: b.system });
      if (typeof parsed === 'string') return malformed(parsed);
      const max = cfg.maxTokens ?? cfg.max_new_tokens;
      return typeof max === 'number' ? { ...parsed, maxTokens: max } : parsed;
    }
    case 'llama':
      return checkFields(body, { prompt: 'string' }, { max_gen_len: 'integer', temperature: 'number', top_p: 'number' }) ??
        completion(b.prompt as string, /<\|start_header_id\|>user<\|end_header_id\|>([\s\S]*?)(?:<\|eot_id\|>|$)/g, b.max_gen_len);
    case 'mistral':
      if (Array.isArray(b?.messages)) return checkFields(body, { messages: 'array' }, { max_tokens: 'integer' }) ?? chat(b.messages, undefined, b.max_tokens);
      return checkFields(body, { prompt: 'string' }, { max_tokens: 'integer', stop: 'array', temperature: 'number' }) ??
        completion(b.prompt as string, /\[INST\]([\s\S]*?)(?:\[\/INST\]|$)/g, b.max_tokens);
    case 'cohere-command-r': {
      const err = checkFields(body, { message: 'string' }, { chat_history: 'array', preamble: 'string', max_tokens: 'integer', documents: 'array' });
      if (err) return err;
      let chars = (b.message as string).length + (typeof b.preamble === 'string' ? b.preamble.length : 0);
      if (Array.isArray(b.chat_history)) for (const h of b.chat_history) chars += String((h as { message?: unknown } | null)?.message ?? '').length;
      return { prompt: b.message as string, inputTokens: tokensOf(chars), images: 0, ...(typeof b.max_tokens === 'number' ? { maxTokens: b.max_tokens } : {}) };
    }
    case 'jamba':
      return checkFields(body, { messages: 'array' }, { max_tokens: 'integer', temperature: 'number', top_p: 'number', stop: 'array', n: 'integer' }) ??
        chat(b.messages as unknown[], undefined, b.max_tokens);
  }
}
