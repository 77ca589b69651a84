import * as t from 'io-ts';
import { ModelError } from '../../core/errors.js';
import type { ContentBlock, InferenceRequest } from '../../core/request.js';
import { decodeAs, defined, DEFAULT_MAX_TOKENS, stopReasonCodec, type DecodedChunk, type FamilyCodec } from './familyCodec.js';

const StopReason = stopReasonCodec('"end_turn" | "max_tokens" | "stop_sequence" | "tool_use"', {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
});

const Block = t.union([t.type({ type: t.literal('text'), text: t.string }), t.type({ type: t.keyof({ tool_use: null, thinking: null, redacted_thinking: null }) })]);

const Body = t.type({
  content: t.array(Block, 'content blocks'),
  stop_reason: StopReason,
  usage: t.type({ input_tokens: t.number, output_tokens: t.number }),
});

const Chunk = t.union(
  [
    t.type({ type: t.literal('message_start'), message: t.type({ usage: t.type({ input_tokens: t.number }) }) }),
    t.type({
      type: t.literal('content_block_delta'),
      delta: t.union([
        t.type({ type: t.literal('text_delta'), text: t.string }),
        t.type({ type: t.keyof({ input_json_delta: null, thinking_delta: null, signature_delta: null }) }),
      ]),
    }),
    t.type({ type: t.literal('message_delta'), delta: t.type({ stop_reason: StopReason }), usage: t.type({ output_tokens: t.number }) }),
    t.type({ type: t.keyof({ content_block_start: null, content_block_stop: null, message_stop: null, ping: null }) }),
  ],
  'an Anthropic stream event',
);

const TEXT_DOCUMENTS = new Set(['txt', 'md', 'csv', 'html']);
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function block(content: ContentBlock, path: string, requestId: string): Record<string, unknown> {
  if ('text' in content) return { type: 'text', text: content.text };
  if ('image' in content) {
    const { format, source } = content.image;
    return { type: 'image', source: { type: 'base64', media_type: `image/${format}`, data: base64(source.bytes) } };
  }
  const { format, source } = content.document;
  if (format === 'pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: base64(source.bytes) } };
  if (TEXT_DOCUMENTS.has(format)) return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(source.bytes).toString('utf8') } };
  throw new ModelError('validation', 'anthropic-messages bodies take pdf and text documents only', {
    requestId,
    details: [`${path}.document.format: the Anthropic Messages format takes pdf, txt, md, csv or html documents, got "${format}" (use api 'converse')`],
  });
}

function messages(request: InferenceRequest): unknown[] {
  return request.messages.map((m, i) => ({ role: m.role, content: m.content.map((c, j) => block(c, `messages[${i}].content[${j}]`, request.id)) }));
}

function chunk(event: t.TypeOf<typeof Chunk>): DecodedChunk {
  switch (event.type) {
    case 'message_start':
      return { usage: { inputTokens: event.message.usage.input_tokens } };
    case 'content_block_delta':
      return 'text' in event.delta ? { text: event.delta.text } : {};
    case 'message_delta':
      return { stopReason: event.delta.stop_reason, usage: { outputTokens: event.usage.output_tokens } };
    default:
      return {};
  }
}

/**
 * Anthropic Claude 3+ Messages API (`anthropic_version: 'bedrock-2023-05-31'`):
 * text, base64 images and pdf/text documents; usage from the body, or from the
 * `message_start` and `message_delta` stream events.
 */
export const anthropicMessages: FamilyCodec = {
  family: 'anthropic-messages',
  matches: (modelId) => modelId.startsWith('anthropic.claude') && !/^anthropic\.claude-(?:v\d|instant)/.test(modelId),
  formatBody: (request, { inferenceConfig: c, system }) =>
    defined({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: c.maxTokens ?? DEFAULT_MAX_TOKENS,
      system,
      messages: messages(request),
      temperature: c.temperature,
      top_p: c.topP,
      stop_sequences: c.stopSequences,
    }),
  decodeBody: (json) =>
    decodeAs(Body, json, (b) => ({
      text: b.content.flatMap((c) => ('text' in c ? [c.text] : [])).join(''),
      stopReason: b.stop_reason,
      usage: { inputTokens: b.usage.input_tokens, outputTokens: b.usage.output_tokens },
    })),
  decodeChunk: (json) => decodeAs(Chunk, json, chunk),
};
