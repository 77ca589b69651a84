const PROFILE_PREFIX = /^(?:us|eu|apac|global|us-gov|ca|jp|au)\./;
const ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|provisioned-model|imported-model|custom-model)\/(.+)$/;

/**
 * The foundation-model id behind an inference-profile id or an ARN, so that
 * catalog lookups and family codecs see one id per model.
 *
 * @example
 * ```ts
 * baseModelId('us.anthropic.claude-3-5-haiku-20241022-v1:0'); // 'anthropic.claude-3-5-haiku-20241022-v1:0'
 * baseModelId('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0'); // 'amazon.nova-lite-v1:0'
 * ```
 */
export function baseModelId(modelId: string): string {
  const arn = ARN.exec(modelId);
  return (arn ? arn[1]! : modelId).replace(PROFILE_PREFIX, '');
}
