import * as t from 'io-ts';
import { ModelError } from '../../core/errors.js';
import { decodeAs, defined, stopReasonCodec, textTurns, type DecodedChunk, type FamilyCodec } from './familyCodec.js';

const StopReason = stopReasonCodec('"COMPLETE" | "MAX_TOKENS" | "ERROR_TOXIC" | "ERROR_LIMIT"', {
  COMPLETE: 'end_turn',
  MAX_TOKENS: 'max_tokens',
  ERROR_TOXIC: 'content_filtered',
  ERROR_LIMIT: 'model_context_window_exceeded',
});
const Body = t.type({ text: t.string, finish_reason: StopReason });
const Chunk = t.union(
  [
    t.type({ event_type: t.literal('text-generation'), text: t.string }),
    t.type({ event_type: t.literal('stream-end'), finish_reason: StopReason }),
    t.type({ event_type: t.keyof({ 'stream-start': null, 'search-queries-generation': null, 'search-results': null, 'citation-generation': null }) }),
  ],
  'a Cohere stream event',
);

function chunk(event: t.TypeOf<typeof Chunk>): DecodedChunk {
  if ('text' in event) return { text: event.text };
  if ('finish_reason' in event) return { stopReason: event.finish_reason };
  return {};
}

/**
 * Cohere Command R / R+ chat: the last user turn is `message`, earlier turns
 * `chat_history` (`USER`/`CHATBOT`), the system prompt `preamble`; text only.
 * No usage in the body.
 */
export const cohereCommandR: FamilyCodec = {
  family: 'cohere-command-r',
  matches: (modelId) => modelId.startsWith('cohere.command-r'),
  formatBody: (request, { inferenceConfig: c, system }) => {
    const turns = textTurns(request, 'cohere-command-r');
    const last = turns[turns.length - 1]!;
    if (last.role !== 'user') {
      throw new ModelError('validation', 'cohere-command-r bodies end with a user turn', {
        requestId: request.id,
        details: [`messages[${turns.length - 1}].role: the Cohere chat format needs the last message to be the user's, got "assistant"`],
      });
    }
    return defined({
      message: last.text,
      chat_history: turns.length > 1 ? turns.slice(0, -1).map((turn) => ({ role: turn.role === 'user' ? 'USER' : 'CHATBOT', message: turn.text })) : undefined,
      preamble: system,
      max_tokens: c.maxTokens,
      temperature: c.temperature,
      p: c.topP,
      stop_sequences: c.stopSequences,
    });
  },
  decodeBody: (json) => decodeAs(Body, json, (b) => ({ text: b.text, stopReason: b.finish_reason })),
  decodeChunk: (json) => decodeAs(Chunk, json, chunk),
};
