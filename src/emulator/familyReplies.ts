import type { ModelFamily } from './families.js';

/** Everything a native reply body or stream chunk may need to say. */
export interface ReplyContext {
  readonly modelId: string;
  readonly requestId: string;
  readonly text: string;
  readonly stopReason: 'end_turn' | 'max_tokens';
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly latencyMs: number;
  readonly firstByteLatencyMs: number;
}

const STOP: Record<ModelFamily, readonly [string, string]> = {
  'anthropic-messages': ['end_turn', 'max_tokens'],
  'anthropic-text': ['stop_sequence', 'max_tokens'],
  'titan-text': ['FINISH', 'LENGTH'],
  nova: ['end_turn', 'max_tokens'],
  llama: ['stop', 'length'],
  mistral: ['stop', 'length'],
  'cohere-command-r': ['COMPLETE', 'MAX_TOKENS'],
  jamba: ['stop', 'length'],
};

/** The family's own name for the stop reason. */
export function nativeStopReason(family: ModelFamily, stop: ReplyContext['stopReason']): string {
  return STOP[family][stop === 'end_turn' ? 0 : 1];
}

function shortName(modelId: string): string {
  return modelId.replace(/^[a-z]+\./, '').replace(/-v\d+(?::\d+)?$/, '');
}

/** The model-native InvokeModel response body (wire reference §5). */
export function invokeReplyBody(family: ModelFamily, c: ReplyContext): unknown {
  const stop = nativeStopReason(family, c.stopReason);
  switch (family) {
    case 'anthropic-messages':
      return {
        id: `msg_bdrk_${c.requestId.replace(/-/g, '').slice(-24)}`, type: 'message', role: 'assistant', model: shortName(c.modelId),
        content: [{ type: 'text', text: c.text }], stop_reason: stop, stop_sequence: null,
        usage: { input_tokens: c.inputTokens, output_tokens: c.outputTokens },
      };
    case 'anthropic-text':
      return { completion: ` ${c.text}`, stop_reason: stop, stop: c.stopReason === 'end_turn' ? '\n\nHuman:' : null };
    case 'titan-text':
      return { inputTextTokenCount: c.inputTokens, results: [{ tokenCount: c.outputTokens, outputText: c.text, completionReason: stop }] };
    case 'nova':
      return {
        output: { message: { role: 'assistant', content: [{ text: c.text }] } }, stopReason: stop,
        usage: { inputTokens: c.inputTokens, outputTokens: c.outputTokens, totalTokens: c.inputTokens + c.outputTokens, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
      };
    case 'llama':
      return { generation: c.text, prompt_token_count: c.inputTokens, generation_token_count: c.outputTokens, stop_reason: stop };
    case 'mistral':
      return { outputs: [{ text: c.text, stop_reason: stop }] };
    case 'cohere-command-r':
      return { response_id: c.requestId, text: c.text, generation_id: c.requestId, chat_history: [], finish_reason: stop };
    case 'jamba':
      return {
        id: `chatcmpl-${c.requestId}`, model: shortName(c.modelId), meta: { requestDurationMillis: c.latencyMs },
        choices: [{ index: 0, message: { role: 'assistant', content: c.text, tool_calls: null }, finish_reason: stop }],
        usage: { prompt_tokens: c.inputTokens, completion_tokens: c.outputTokens, total_tokens: c.inputTokens + c.outputTokens },
      };
  }
}

/** Native stream events sent before the first token. */
export function streamStartEvents(family: ModelFamily, c: ReplyContext): unknown[] {
  switch (family) {
    case 'anthropic-messages':
      return [
        {
          type: 'message_start',
          message: {
            id: `msg_bdrk_${c.requestId.replace(/-/g, '').slice(-24)}`, type: 'message', role: 'assistant', model: shortName(c.modelId),
            content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: c.inputTokens, output_tokens: 1 },
          },
        },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ];
    case 'nova':
      return [{ messageStart: { role: 'assistant' } }];
    case 'cohere-command-r':
      return [{ is_finished: false, event_type: 'stream-start', generation_id: c.requestId }];
    default:
      return [];
  }
}

/** The native stream event carrying the `index`-th piece of text. */
export function streamDeltaEvent(family: ModelFamily, piece: string, index: number, c: ReplyContext): unknown {
  switch (family) {
    case 'anthropic-messages':
      return { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } };
    case 'anthropic-text':
      return { completion: piece, stop_reason: null, stop: null };
    case 'titan-text':
      return { outputText: piece, index: 0, totalOutputTextTokenCount: index + 1, completionReason: null, inputTextTokenCount: c.inputTokens };
    case 'nova':
      return { contentBlockDelta: { delta: { text: piece }, contentBlockIndex: 0 } };
    case 'llama':
      return { generation: piece, prompt_token_count: index === 0 ? c.inputTokens : null, generation_token_count: index + 1, stop_reason: null };
    case 'mistral':
      return { outputs: [{ text: piece, stop_reason: null }] };
    case 'cohere-command-r':
      return { is_finished: false, event_type: 'text-generation', text: piece };
    case 'jamba':
      return { id: `chatcmpl-${c.requestId}`, choices: [{ index: 0, delta: index === 0 ? { role: 'assistant', content: piece } : { content: piece }, finish_reason: null }] };
  }
}

/** Native stream events after the last token; the last one carries `amazon-bedrock-invocationMetrics` as Bedrock adds it. */
export function streamEndEvents(family: ModelFamily, c: ReplyContext): unknown[] {
  const stop = nativeStopReason(family, c.stopReason);
  const metrics = {
    'amazon-bedrock-invocationMetrics': {
      inputTokenCount: c.inputTokens, outputTokenCount: c.outputTokens, invocationLatency: c.latencyMs, firstByteLatency: c.firstByteLatencyMs,
    },
  };
  switch (family) {
    case 'anthropic-messages':
      return [
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: c.outputTokens } },
        { type: 'message_stop', ...metrics },
      ];
    case 'anthropic-text':
      return [{ completion: '', stop_reason: stop, stop: c.stopReason === 'end_turn' ? '\n\nHuman:' : null, ...metrics }];
    case 'titan-text':
      return [{ outputText: '', index: 0, totalOutputTextTokenCount: c.outputTokens, completionReason: stop, inputTextTokenCount: c.inputTokens, ...metrics }];
    case 'nova':
      return [
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: stop } },
        { metadata: { usage: { inputTokens: c.inputTokens, outputTokens: c.outputTokens }, metrics: {}, trace: {} }, ...metrics },
      ];
    case 'llama':
      return [{ generation: '', prompt_token_count: null, generation_token_count: c.outputTokens, stop_reason: stop, ...metrics }];
    case 'mistral':
      return [{ outputs: [{ text: '', stop_reason: stop }], ...metrics }];
    case 'cohere-command-r':
      return [{ is_finished: true, event_type: 'stream-end', finish_reason: stop, response: { response_id: c.requestId, text: c.text, generation_id: c.requestId, finish_reason: stop }, ...metrics }];
    case 'jamba':
      return [{
        id: `chatcmpl-${c.requestId}`, choices: [{ index: 0, delta: {}, finish_reason: stop }],
        usage: { prompt_tokens: c.inputTokens, completion_tokens: c.outputTokens, total_tokens: c.inputTokens + c.outputTokens }, ...metrics,
      }];
  }
}
