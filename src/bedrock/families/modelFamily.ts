import * as t from 'io-ts';

/** The native InvokeModel body formats rx-bedrock speaks, one codec each (wire reference §5). */
export const ModelFamily = t.keyof(
  {
    'anthropic-messages': null,
    'anthropic-text': null,
    'titan-text': null,
    nova: null,
    llama: null,
    mistral: null,
    'cohere-command-r': null,
    jamba: null,
  },
  'a model family',
);
/** One of the {@link ModelFamily} names. */
export type ModelFamily = t.TypeOf<typeof ModelFamily>;
