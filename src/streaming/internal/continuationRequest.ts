import type { InferenceRequest, Message } from '../../core/request.js';

/**
 * The request that asks a model to continue `partial`: the same request with
 * `partial` as the start of the assistant turn (appended to the caller's own
 * assistant prefill when the request ends with one). Bedrock refuses a final
 * assistant turn ending in whitespace, so trailing whitespace is cut from the
 * prefill and `dropLeadingSpace` says the continuation's leading whitespace
 * must be dropped (the consumer already has it).
 */
export function continuationRequest(request: InferenceRequest, partial: string): { request: InferenceRequest; dropLeadingSpace: boolean } {
  const prefill = partial.trimEnd();
  const dropLeadingSpace = prefill.length !== partial.length;
  if (prefill === '') return { request, dropLeadingSpace };
  const last = request.messages[request.messages.length - 1];
  const messages: readonly Message[] =
    last?.role === 'assistant'
      ? [...request.messages.slice(0, -1), { role: 'assistant', content: appendText(last.content, prefill) }]
      : [...request.messages, { role: 'assistant', content: [{ text: prefill }] }];
  return { request: { ...request, messages }, dropLeadingSpace };
}

function appendText(content: Message['content'], text: string): Message['content'] {
  const last = content[content.length - 1];
  if (last !== undefined && 'text' in last) return [...content.slice(0, -1), { text: last.text + text }];
  return [...content, { text }];
}
