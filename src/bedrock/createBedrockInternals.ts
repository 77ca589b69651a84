import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../core/codecs.js';
import { InferenceConfig } from '../core/request.js';
import type { BedrockOptions, ModelOptions } from './createBedrock.js';
import type { BedrockApi } from './modelDriver.js';

const OPTION_KEYS = new Set(['client', 'endpoint', 'region', 'credentials', 'scheduler', 'events', 'catalog', 'includeContent']);
const MODEL_OPTION_KEYS = new Set(['api', 'inferenceConfig', 'system']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(where: string, value: unknown, known: ReadonlySet<string>): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new TypeError(`${where}: expected an options object`);
  const unknownKey = Object.keys(value).find((k) => !known.has(k));
  if (unknownKey !== undefined) throw new TypeError(`${where}.${unknownKey}: unknown option (known: ${[...known].join(', ')})`);
  return value;
}

/** `options` as {@link BedrockOptions}, or a `TypeError` naming the first bad option. */
export function checkBedrockOptions(options: unknown): BedrockOptions {
  const o = checkKeys('createBedrock options', options, OPTION_KEYS);
  const fail = (key: string, expected: string): never => {
    throw new TypeError(`createBedrock options.${key}: expected ${expected}`);
  };
  if (o.client !== undefined) {
    if (!isObject(o.client) || typeof o.client.send !== 'function') fail('client', 'a BedrockRuntimeClient');
    for (const key of ['endpoint', 'region', 'credentials']) if (o[key] !== undefined) fail(key, 'nothing when a client is given (configure the client instead)');
  }
  if (o.endpoint !== undefined && (typeof o.endpoint !== 'string' || !/^https?:\/\/[^/]/.test(o.endpoint) || !URL.canParse(o.endpoint))) {
    fail('endpoint', 'an http:// or https:// URL');
  }
  if (o.region !== undefined && (typeof o.region !== 'string' || !/^[a-z0-9-]+$/.test(o.region))) fail('region', 'a region name such as "us-east-1"');
  if (o.credentials !== undefined && typeof o.credentials !== 'function') {
    const c = o.credentials;
    if (!isObject(c) || typeof c.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string') {
      fail('credentials', 'an object with accessKeyId and secretAccessKey, or a credential provider function');
    }
  }
  if (o.scheduler !== undefined && (!isObject(o.scheduler) || typeof o.scheduler.now !== 'function' || typeof o.scheduler.schedule !== 'function')) {
    fail('scheduler', 'an RxJS SchedulerLike');
  }
  if (o.events !== undefined && (!isObject(o.events) || typeof o.events.emit !== 'function' || !isObject(o.events.events$))) fail('events', 'an EventBus');
  if (o.includeContent !== undefined && typeof o.includeContent !== 'boolean') fail('includeContent', 'a boolean');
  return o as BedrockOptions;
}

/** A model id and its options, checked, with the api defaulted to `converse`; a `TypeError` names the first bad one. */
export function checkModelOptions(
  modelId: unknown,
  options: unknown,
): { modelId: string; api: BedrockApi; inferenceConfig?: InferenceConfig; system?: string } {
  if (typeof modelId !== 'string' || modelId.trim() === '') throw new TypeError('modelId: expected a non-empty string');
  const o = checkKeys(`model "${modelId}" options`, options, MODEL_OPTION_KEYS);
  if (o.api !== undefined && o.api !== 'converse' && o.api !== 'invoke') throw new TypeError(`model "${modelId}" options.api: expected "converse" or "invoke"`);
  if (o.system !== undefined && typeof o.system !== 'string') throw new TypeError(`model "${modelId}" options.system: expected a string`);
  if (o.inferenceConfig !== undefined) {
    const decoded = decodeWith(InferenceConfig, o.inferenceConfig, 'inferenceConfig');
    if (isLeft(decoded)) throw new TypeError(`model "${modelId}" options.${decoded.left.join('; ')}`);
  }
  return { ...(o as ModelOptions), modelId, api: (o.api as BedrockApi | undefined) ?? 'converse' };
}
