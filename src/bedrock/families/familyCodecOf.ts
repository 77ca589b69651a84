import { baseModelId } from '../baseModelId.js';
import { anthropicMessages } from './anthropicMessages.js';
import { anthropicText } from './anthropicText.js';
import { cohereCommandR } from './cohereCommandR.js';
import type { FamilyCodec } from './familyCodec.js';
import { jamba } from './jamba.js';
import { llama } from './llama.js';
import { mistral } from './mistral.js';
import type { ModelFamily } from './modelFamily.js';
import { nova } from './nova.js';
import { titanText } from './titanText.js';

/** Every family codec, by family name. */
export const FAMILY_CODECS: Readonly<Record<ModelFamily, FamilyCodec>> = {
  'anthropic-messages': anthropicMessages,
  'anthropic-text': anthropicText,
  'titan-text': titanText,
  nova,
  llama,
  mistral,
  'cohere-command-r': cohereCommandR,
  jamba,
};

/**
 * The codec for a model id (inference-profile prefixes and ARNs allowed), or
 * `undefined` when no family matches. A `family` (e.g. from the catalog) wins over matching.
 */
export function familyCodecOf(modelId: string, family?: ModelFamily): FamilyCodec | undefined {
  if (family !== undefined) return FAMILY_CODECS[family];
  const id = baseModelId(modelId);
  return Object.values(FAMILY_CODECS).find((codec) => codec.matches(id));
}
