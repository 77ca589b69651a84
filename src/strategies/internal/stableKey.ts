import { createHash } from 'node:crypto';
import type { InferenceRequest } from '../../core/request.js';

function stable(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) sorted[k] = stable(v);
    }
    return sorted;
  }
  return value;
}

/**
 * The cache key of a request: a SHA-256 of the stable JSON (sorted keys,
 * bytes as base64) of what decides the answer — `messages`, `system` and
 * `inferenceConfig` — not its `id`, `task` or `metadata`.
 */
export function requestCacheKey(request: InferenceRequest): string {
  const json = JSON.stringify(stable({ messages: request.messages, system: request.system, inferenceConfig: request.inferenceConfig }));
  return createHash('sha256').update(json).digest('base64url');
}
