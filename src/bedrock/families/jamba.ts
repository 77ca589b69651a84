import * as t from 'io-ts';
import { decodeAs, defined, nullable, partialUsage, stopReasonCodec, textTurns, type FamilyCodec } from './familyCodec.js';

const StopReason = stopReasonCodec('"stop" | "length"', { stop: 'end_turn', length: 'max_tokens' });
const Usage = t.type({ prompt_tokens: t.number, completion_tokens: t.number });
const Body = t.type({
  choices: t.tuple([t.type({ message: t.type({ content: t.string }), finish_reason: StopReason })], 'one choice'),
  usage: Usage,
});
const Chunk = t.type({
  choices: t.tuple([t.type({ delta: t.partial({ content: nullable(t.string) }), finish_reason: nullable(StopReason) })], 'one choice'),
  usage: nullable(Usage),
});

/**
 * AI21 Jamba (instruct, 1.5 mini/large): OpenAI-style chat messages with the
 * system prompt as a `system` message, text only; usage in the body and in the
 * last stream chunk.
 */
export const jamba: FamilyCodec = {
  family: 'jamba',
  matches: (modelId) => modelId.startsWith('ai21.jamba'),
  formatBody: (request, { inferenceConfig: c, system }) =>
    defined({
      messages: [
        ...(system === undefined ? [] : [{ role: 'system', content: system }]),
        ...textTurns(request, 'jamba').map((turn) => ({ role: turn.role, content: turn.text })),
      ],
      max_tokens: c.maxTokens,
      temperature: c.temperature,
      top_p: c.topP,
      stop: c.stopSequences,
    }),
  decodeBody: (json) =>
    decodeAs(Body, json, (b) => ({
      text: b.choices[0].message.content,
      stopReason: b.choices[0].finish_reason,
      usage: { inputTokens: b.usage.prompt_tokens, outputTokens: b.usage.completion_tokens },
    })),
  decodeChunk: (json) =>
    decodeAs(Chunk, json, (c) => ({
      text: c.choices[0].delta.content ?? '',
      ...(c.choices[0].finish_reason == null ? {} : { stopReason: c.choices[0].finish_reason }),
      usage: partialUsage(c.usage?.prompt_tokens, c.usage?.completion_tokens),
    })),
};
