import * as t from 'io-ts';
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient, type Message as SdkMessage } from '@aws-sdk/client-bedrock-runtime';
import type { InferenceRequest } from '../core/request.js';
import type { DecodedChunk } from './families/familyCodec.js';
import { checkOutput, effectiveConfig, type DriverDefaults, type ModelDriver } from './modelDriver.js';

const StopReason = t.keyof(
  {
    end_turn: null,
    tool_use: null,
    max_tokens: null,
    stop_sequence: null,
    guardrail_intervened: null,
    content_filtered: null,
    model_context_window_exceeded: null,
  },
  'a stop reason',
);
const Usage = t.type({ inputTokens: t.number, outputTokens: t.number });
const Output = t.type({
  output: t.type({ message: t.type({ content: t.array(t.partial({ text: t.string }), 'content blocks') }) }),
  stopReason: StopReason,
  usage: Usage,
});
const StreamEvent = t.union(
  [
    t.type({ contentBlockDelta: t.type({ delta: t.partial({ text: t.string }) }) }),
    t.type({ messageStop: t.type({ stopReason: StopReason }) }),
    t.type({ metadata: t.type({ usage: Usage }) }),
    t.union([t.type({ messageStart: t.UnknownRecord }), t.type({ contentBlockStart: t.UnknownRecord }), t.type({ contentBlockStop: t.UnknownRecord })]),
  ],
  'a ConverseStream event',
);

function event(e: t.TypeOf<typeof StreamEvent>): DecodedChunk {
  if ('contentBlockDelta' in e) return e.contentBlockDelta.delta.text === undefined ? {} : { text: e.contentBlockDelta.delta.text };
  if ('messageStop' in e) return { stopReason: e.messageStop.stopReason };
  if ('metadata' in e) return { usage: { inputTokens: e.metadata.usage.inputTokens, outputTokens: e.metadata.usage.outputTokens } };
  return {};
}

function input(modelId: string, request: InferenceRequest, defaults: DriverDefaults) {
  const { inferenceConfig, system } = effectiveConfig(request, defaults);
  return {
    modelId,
    // The core Message is the Converse shape with readonly arrays.
    messages: request.messages as unknown as SdkMessage[],
    ...(system === undefined ? {} : { system: [{ text: system }] }),
    ...(Object.keys(inferenceConfig).length === 0 ? {} : { inferenceConfig: { ...inferenceConfig, stopSequences: inferenceConfig.stopSequences?.slice() } }),
  };
}

/** Converse / ConverseStream for `modelId`, answers decoded with io-ts. */
export function converseDriver(client: BedrockRuntimeClient, modelId: string, defaults: DriverDefaults): ModelDriver {
  return {
    api: 'converse',
    async send(request, signal) {
      const output = await client.send(new ConverseCommand(input(modelId, request, defaults)), { abortSignal: signal });
      const out = checkOutput(Output, output, modelId, request.id, 'the Converse output');
      let text = '';
      for (const block of out.output.message.content) if (block.text !== undefined) text += block.text;
      return {
        text,
        stopReason: out.stopReason,
        usage: { inputTokens: out.usage.inputTokens, outputTokens: out.usage.outputTokens },
      };
    },
    async open(request, signal) {
      const output = await client.send(new ConverseStreamCommand(input(modelId, request, defaults)), { abortSignal: signal });
      const stream = output.stream ?? [];
      return (async function* () {
        for await (const raw of stream) yield event(checkOutput(StreamEvent, raw, modelId, request.id, 'a ConverseStream event'));
      })();
    },
  };
}
