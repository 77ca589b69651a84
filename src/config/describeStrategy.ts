import type { StrategyNode } from './schema.js';

/**
 * The strategy tree as indented text, one node a line, for `rx-bedrock validate`.
 *
 * ```text
 * fallback
 *   retry count=2
 *     model anthropic.claude-3-haiku-20240307-v1:0
 *   model amazon.nova-lite-v1:0
 * ```
 */
export function describeStrategy(node: StrategyNode, indent = ''): string {
  if (typeof node === 'string') return `${indent}model ${node}\n`;
  const [kind, spec] = Object.entries(node)[0] as [string, unknown];
  const child = (n: StrategyNode) => describeStrategy(n, `${indent}  `);
  if (kind === 'model') return `${indent}model ${typeof spec === 'string' ? spec : (spec as { id: string }).id}${typeof spec === 'object' && (spec as { api?: string }).api ? ` api=${(spec as { api: string }).api}` : ''}\n`;
  if (Array.isArray(spec)) {
    return `${indent}${kind}\n${spec.map((s) => (kind === 'pipeline' ? describeStrategy((s as { model: StrategyNode }).model, `${indent}  `) : child(s as StrategyNode))).join('')}`;
  }
  const options = spec as Record<string, unknown>;
  const scalars = Object.entries(options)
    .filter(([, v]) => typeof v !== 'object' || v === null)
    .filter(([k]) => k !== 'model')
    .map(([k, v]) => `${k}=${String(v)}`);
  const children: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (key === 'model' || key === 'judge') children.push(child(value as StrategyNode));
    else if (key === 'models' && Array.isArray(value)) children.push(...value.map((v) => child(v as StrategyNode)));
    else if (key === 'routes') children.push(...Object.entries(value as Record<string, StrategyNode>).map(([name, n]) => `${indent}  [${name}]\n${describeStrategy(n, `${indent}    `)}`));
    else if (key === 'tiers') children.push(...(value as { name: string; models: StrategyNode[] }[]).map((tier) => `${indent}  [${tier.name}]\n${tier.models.map((n) => describeStrategy(n, `${indent}    `)).join('')}`));
    else if (key === 'combine' && typeof value === 'object' && value !== null && 'judge' in value) children.push(`${indent}  judge\n${describeStrategy((value as { judge: StrategyNode }).judge, `${indent}    `)}`);
  }
  return `${indent}${kind}${scalars.length > 0 ? ` ${scalars.join(' ')}` : ''}\n${children.join('')}`;
}
