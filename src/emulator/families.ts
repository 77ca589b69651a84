/**
 * The model families whose native InvokeModel bodies the emulator speaks (wire reference §5).
 */
export type ModelFamily =
  | 'anthropic-messages'
  | 'anthropic-text'
  | 'titan-text'
  | 'nova'
  | 'llama'
  | 'mistral'
  | 'cohere-command-r'
  | 'jamba';

const REGION_PREFIX = /^(?:us|eu|apac|ap|global|us-gov|ca|jp|au)\./;
const ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|provisioned-model|imported-model|custom-model)\/(.+)$/;

/**
 * The plain foundation-model id behind an ARN or a cross-region inference-profile id:
 * `arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0` and
 * `us.amazon.nova-lite-v1:0` both give `amazon.nova-lite-v1:0`.
 */
export function baseModelId(modelId: string): string {
  const arn = ARN.exec(modelId);
  const id = arn ? arn[1]! : modelId;
  return id.replace(REGION_PREFIX, '');
}

/**
 * The family of a model id (ARNs and `us.`/`eu.`/… prefixes allowed), or `undefined`
 * for ids whose native body the emulator does not know (they still work with Converse).
 *
 * @example
 * ```ts
 * familyOf('us.anthropic.claude-3-5-haiku-20241022-v1:0'); // 'anthropic-messages'
 * familyOf('anthropic.claude-v2:1');                        // 'anthropic-text'
 * ```
 */
export function familyOf(modelId: string): ModelFamily | undefined {
  const id = baseModelId(modelId);
  if (id.startsWith('anthropic.')) return /^anthropic\.claude-(?:v\d|instant)/.test(id) ? 'anthropic-text' : 'anthropic-messages';
  if (id.startsWith('amazon.titan-text')) return 'titan-text';
  if (id.startsWith('amazon.nova')) return 'nova';
  if (id.startsWith('meta.llama')) return 'llama';
  if (id.startsWith('mistral.')) return 'mistral';
  if (id.startsWith('cohere.command-r')) return 'cohere-command-r';
  if (id.startsWith('ai21.jamba')) return 'jamba';
  return undefined;
}
