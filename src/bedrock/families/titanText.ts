import * as t from 'io-ts';
import { decodeAs, defined, nullable, partialUsage, stopReasonCodec, textTurns, type FamilyCodec } from './familyCodec.js';

const StopReason = stopReasonCodec('"FINISH" | "LENGTH" | "STOP_CRITERIA_MET" | "RAG_QUERY_WHEN_RAG_DISABLED" | "CONTENT_FILTERED"', {
  FINISH: 'end_turn',
  LENGTH: 'max_tokens',
  STOP_CRITERIA_MET: 'stop_sequence',
  RAG_QUERY_WHEN_RAG_DISABLED: 'end_turn',
  CONTENT_FILTERED: 'content_filtered',
});

const Body = t.type({
  inputTextTokenCount: t.number,
  results: t.tuple([t.type({ tokenCount: t.number, outputText: t.string, completionReason: StopReason })], 'one result'),
});
const Chunk = t.type({
  outputText: t.string,
  completionReason: nullable(StopReason),
  inputTextTokenCount: nullable(t.number),
  totalOutputTextTokenCount: nullable(t.number),
});

/**
 * Amazon Titan Text (express, lite, premier): a `User: …\nBot:` transcript,
 * text only; usage from `inputTextTokenCount` and the result's `tokenCount`.
 */
export const titanText: FamilyCodec = {
  family: 'titan-text',
  matches: (modelId) => modelId.startsWith('amazon.titan-text'),
  formatBody: (request, { inferenceConfig: c, system }) => {
    const turns = textTurns(request, 'titan-text');
    const transcript = turns.map((turn) => `${turn.role === 'user' ? 'User' : 'Bot'}: ${turn.text}`).join('\n');
    const open = turns[turns.length - 1]!.role === 'assistant';
    return {
      inputText: `${system === undefined ? '' : `${system}\n\n`}${transcript}${open ? '' : '\nBot:'}`,
      textGenerationConfig: defined({ maxTokenCount: c.maxTokens, temperature: c.temperature, topP: c.topP, stopSequences: c.stopSequences }),
    };
  },
  decodeBody: (json) =>
    decodeAs(Body, json, (b) => ({
      text: b.results[0].outputText,
      stopReason: b.results[0].completionReason,
      usage: { inputTokens: b.inputTextTokenCount, outputTokens: b.results[0].tokenCount },
    })),
  decodeChunk: (json) =>
    decodeAs(Chunk, json, (c) => ({
      text: c.outputText,
      ...(c.completionReason == null ? {} : { stopReason: c.completionReason }),
      usage: partialUsage(c.inputTextTokenCount, c.totalOutputTextTokenCount),
    })),
};
