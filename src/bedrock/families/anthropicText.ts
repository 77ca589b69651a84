import * as t from 'io-ts';
import type { StopReason } from '../../core/response.js';
import { decodeAs, defined, DEFAULT_MAX_TOKENS, nullable, textTurns, type FamilyCodec } from './familyCodec.js';

const HUMAN = '\n\nHuman:';
const NativeStop = t.keyof({ stop_sequence: null, max_tokens: null }, '"stop_sequence" | "max_tokens"');
const Body = t.type({ completion: t.string, stop_reason: NativeStop, stop: nullable(t.string) });
const Chunk = t.type({ completion: t.string, stop_reason: nullable(NativeStop), stop: nullable(t.string) });

/** `stop_sequence` on the turn marker is a natural end; on a caller's sequence it is `stop_sequence`. */
function stopReason(reason: t.TypeOf<typeof NativeStop>, stop: string | null | undefined): StopReason {
  if (reason === 'max_tokens') return 'max_tokens';
  return stop === undefined || stop === null || stop === HUMAN ? 'end_turn' : 'stop_sequence';
}

/**
 * Anthropic legacy Text Completions (`anthropic.claude-v2`, `-v2:1`,
 * `anthropic.claude-instant-v1`): a `\n\nHuman: …\n\nAssistant:` prompt, text
 * only. The body carries no usage (it comes from the response headers or the
 * stream's invocation metrics).
 */
export const anthropicText: FamilyCodec = {
  family: 'anthropic-text',
  matches: (modelId) => /^anthropic\.claude-(?:v\d|instant)/.test(modelId),
  formatBody: (request, { inferenceConfig: c, system }) => {
    const turns = textTurns(request, 'anthropic-text');
    const dialogue = turns.map((turn) => `${turn.role === 'user' ? HUMAN : '\n\nAssistant:'} ${turn.text}`).join('');
    const open = turns[turns.length - 1]!.role === 'assistant';
    return defined({
      prompt: `${system ?? ''}${dialogue}${open ? '' : '\n\nAssistant:'}`,
      max_tokens_to_sample: c.maxTokens ?? DEFAULT_MAX_TOKENS,
      temperature: c.temperature,
      top_p: c.topP,
      stop_sequences: [HUMAN, ...(c.stopSequences ?? [])],
    });
  },
  decodeBody: (json) => decodeAs(Body, json, (b) => ({ text: b.completion, stopReason: stopReason(b.stop_reason, b.stop) })),
  decodeChunk: (json) =>
    decodeAs(Chunk, json, (c) => ({
      text: c.completion,
      ...(c.stop_reason === null || c.stop_reason === undefined ? {} : { stopReason: stopReason(c.stop_reason, c.stop) }),
    })),
};
