import * as t from 'io-ts';
import { ModelError } from '../../core/errors.js';
import { decodeAs, defined, nullable, partialUsage, stopReasonCodec, textTurns, type FamilyCodec } from './familyCodec.js';

const StopReason = stopReasonCodec('"stop" | "length"', { stop: 'end_turn', length: 'max_tokens' });
const Body = t.type({ generation: t.string, prompt_token_count: t.number, generation_token_count: t.number, stop_reason: StopReason });
const Chunk = t.type({
  generation: t.string,
  prompt_token_count: nullable(t.number),
  generation_token_count: nullable(t.number),
  stop_reason: nullable(StopReason),
});

const header = (role: string): string => `<|start_header_id|>${role}<|end_header_id|>\n\n`;

/**
 * Meta Llama 3 / 3.x: the Llama 3 chat template as one `prompt`, text only.
 * Llama's native body has no stop sequences, so asking for them is a
 * `validation` error (Converse supports them).
 */
export const llama: FamilyCodec = {
  family: 'llama',
  matches: (modelId) => modelId.startsWith('meta.llama3'),
  formatBody: (request, { inferenceConfig: c, system }) => {
    if (c.stopSequences !== undefined && c.stopSequences.length > 0) {
      throw new ModelError('validation', 'llama bodies have no stop sequences', {
        requestId: request.id,
        details: ["inferenceConfig.stopSequences: the Llama InvokeModel format has no stop sequences; use api 'converse'"],
      });
    }
    const turns = textTurns(request, 'llama');
    const system$ = system === undefined ? '' : `${header('system')}${system}<|eot_id|>`;
    const dialogue = turns.map((turn) => `${header(turn.role)}${turn.text}<|eot_id|>`).join('');
    return defined({
      prompt: `<|begin_of_text|>${system$}${dialogue}${header('assistant')}`,
      max_gen_len: c.maxTokens,
      temperature: c.temperature,
      top_p: c.topP,
    });
  },
  decodeBody: (json) =>
    decodeAs(Body, json, (b) => ({
      text: b.generation,
      stopReason: b.stop_reason,
      usage: { inputTokens: b.prompt_token_count, outputTokens: b.generation_token_count },
    })),
  decodeChunk: (json) =>
    decodeAs(Chunk, json, (c) => ({
      text: c.generation,
      ...(c.stop_reason == null ? {} : { stopReason: c.stop_reason }),
      usage: partialUsage(c.prompt_token_count, c.generation_token_count),
    })),
};
