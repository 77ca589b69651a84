import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

/** One `send` call seen by a {@link fakeClient}. */
export interface SentCall {
  readonly command: { readonly constructor: { readonly name: string }; readonly input: Record<string, unknown> };
  readonly signal: AbortSignal;
}

/** A stand-in client whose `send` is the given function; records every call. */
export function fakeClient(send: (call: SentCall) => Promise<unknown>): { client: BedrockRuntimeClient; calls: SentCall[] } {
  const calls: SentCall[] = [];
  const client = {
    send: (command: SentCall['command'], options: { abortSignal: AbortSignal }) => {
      const call = { command, signal: options.abortSignal };
      calls.push(call);
      return send(call);
    },
  } as unknown as BedrockRuntimeClient;
  return { client, calls };
}

/** A Converse output saying `text`. */
export function converseOutput(text: string, usage = { inputTokens: 10, outputTokens: 4 }): unknown {
  return { output: { message: { role: 'assistant', content: [{ text }] } }, stopReason: 'end_turn', usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens }, metrics: { latencyMs: 1 } };
}

/** A promise that never settles unless the signal aborts (then it rejects like the SDK). */
export function hangUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))));
}
