import * as t from 'io-ts';
import { decodeAs, defined, nullable, stopReasonCodec, textTurns, type FamilyCodec } from './familyCodec.js';

const StopReason = stopReasonCodec('"stop" | "length"', { stop: 'end_turn', length: 'max_tokens' });
const Body = t.type({ outputs: t.tuple([t.type({ text: t.string, stop_reason: StopReason })], 'one output') });
const Chunk = t.type({ outputs: t.tuple([t.type({ text: t.string, stop_reason: nullable(StopReason) })], 'one output') });

/**
 * Mistral text completions (Mistral 7B, Mixtral 8x7B, Mistral Large 2402, Small):
 * an `<s>[INST] … [/INST]` prompt, text only; the system prompt opens the
 * first instruction. No usage in the body. (Mistral Large 2407's chat format
 * is not this one: use it through Converse.)
 */
export const mistral: FamilyCodec = {
  family: 'mistral',
  matches: (modelId) => modelId.startsWith('mistral.') && !/^mistral\.(?:mistral-large-24(?:07|11)|pixtral)/.test(modelId),
  formatBody: (request, { inferenceConfig: c, system }) => {
    const turns = textTurns(request, 'mistral');
    const prompt = turns
      .map((turn, i) => (turn.role === 'assistant' ? ` ${turn.text}</s>` : `[INST] ${i === 0 && system !== undefined ? `${system}\n\n` : ''}${turn.text} [/INST]`))
      .join('');
    return defined({ prompt: `<s>${prompt}`, max_tokens: c.maxTokens, temperature: c.temperature, top_p: c.topP, stop: c.stopSequences });
  },
  decodeBody: (json) => decodeAs(Body, json, (b) => ({ text: b.outputs[0].text, stopReason: b.outputs[0].stop_reason })),
  decodeChunk: (json) =>
    decodeAs(Chunk, json, (c) => ({ text: c.outputs[0].text, ...(c.outputs[0].stop_reason == null ? {} : { stopReason: c.outputs[0].stop_reason }) })),
};
