import * as t from 'io-ts';
import type { ContentBlock } from '../../core/request.js';
import { decodeAs, defined, stopReasonCodec, type DecodedChunk, type FamilyCodec } from './familyCodec.js';

const StopReason = stopReasonCodec('a Converse stop reason', {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  content_filtered: 'content_filtered',
  guardrail_intervened: 'guardrail_intervened',
});
const Usage = t.type({ inputTokens: t.number, outputTokens: t.number });

const Body = t.type({
  output: t.type({ message: t.type({ content: t.array(t.partial({ text: t.string }), 'content blocks') }) }),
  stopReason: StopReason,
  usage: Usage,
});

const Chunk = t.union(
  [
    t.type({ contentBlockDelta: t.type({ delta: t.partial({ text: t.string }) }) }),
    t.type({ messageStop: t.type({ stopReason: StopReason }) }),
    t.type({ metadata: t.type({ usage: Usage }) }),
    t.union([t.type({ messageStart: t.UnknownRecord }), t.type({ contentBlockStart: t.UnknownRecord }), t.type({ contentBlockStop: t.UnknownRecord })]),
  ],
  'a Nova stream event',
);

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function block(content: ContentBlock): Record<string, unknown> {
  if ('text' in content) return { text: content.text };
  if ('image' in content) return { image: { format: content.image.format, source: { bytes: base64(content.image.source.bytes) } } };
  const { format, name, source } = content.document;
  return { document: { format, name, source: { bytes: base64(source.bytes) } } };
}

function chunk(event: t.TypeOf<typeof Chunk>): DecodedChunk {
  if ('contentBlockDelta' in event) return event.contentBlockDelta.delta.text === undefined ? {} : { text: event.contentBlockDelta.delta.text };
  if ('messageStop' in event) return { stopReason: event.messageStop.stopReason };
  if ('metadata' in event) return { usage: event.metadata.usage };
  return {};
}

/**
 * Amazon Nova (`schemaVersion: 'messages-v1'`): Converse-shaped messages with
 * base64 image and document bytes; stream chunks mirror ConverseStream events.
 */
export const nova: FamilyCodec = {
  family: 'nova',
  matches: (modelId) => modelId.startsWith('amazon.nova'),
  formatBody: (request, { inferenceConfig: c, system }) =>
    defined({
      schemaVersion: 'messages-v1',
      system: system === undefined ? undefined : [{ text: system }],
      messages: request.messages.map((m) => ({ role: m.role, content: m.content.map(block) })),
      inferenceConfig: defined({ maxTokens: c.maxTokens, temperature: c.temperature, topP: c.topP, stopSequences: c.stopSequences }),
    }),
  decodeBody: (json) =>
    decodeAs(Body, json, (b) => ({
      text: b.output.message.content.flatMap((c) => (c.text === undefined ? [] : [c.text])).join(''),
      stopReason: b.stopReason,
      usage: { inputTokens: b.usage.inputTokens, outputTokens: b.usage.outputTokens },
    })),
  decodeChunk: (json) => decodeAs(Chunk, json, chunk),
};
