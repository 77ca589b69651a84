import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith, NonNegativeNumber, PositiveInt, strictType } from '../core/codecs.js';
import type { Usage } from '../core/response.js';
import { baseModelId } from './baseModelId.js';
import { ModelFamily } from './families/modelFamily.js';

/** io-ts codec of one {@link CatalogEntry}. */
export const CatalogEntry = strictType(
  'a catalog entry',
  {
    family: ModelFamily,
    provider: t.string,
    contextWindow: PositiveInt,
    maxOutputTokens: PositiveInt,
    capabilities: strictType('capabilities', { images: t.boolean, documents: t.boolean, streaming: t.boolean, converse: t.boolean }, {}),
    inputPer1k: NonNegativeNumber,
    outputPer1k: NonNegativeNumber,
  },
  {},
);
/** What rx-bedrock knows about one model: its body format, limits, what it accepts, and its on-demand price (USD per 1,000 tokens). */
export type CatalogEntry = t.TypeOf<typeof CatalogEntry>;

/** io-ts codec of a {@link Catalog}. */
export const Catalog = t.record(t.string, CatalogEntry, 'a catalog (model id -> entry)');
/** Models by foundation-model id (no inference-profile prefix). */
export type Catalog = Readonly<Record<string, CatalogEntry>>;

type Caps = CatalogEntry['capabilities'];
const TEXT: Caps = { images: false, documents: false, streaming: true, converse: true };
const TEXT_DOCS: Caps = { images: false, documents: true, streaming: true, converse: true };
const VISION: Caps = { images: true, documents: true, streaming: true, converse: true };

function entry(family: ModelFamily, provider: string, contextWindow: number, maxOutputTokens: number, capabilities: Caps, inputPer1k: number, outputPer1k: number): CatalogEntry {
  return { family, provider, contextWindow, maxOutputTokens, capabilities, inputPer1k, outputPer1k };
}

/**
 * Models rx-bedrock knows out of the box, with us-east-1 on-demand prices.
 * Claude 3/3.5, Titan, Nova and Llama 3 prices are from the wire reference §7.3;
 * the others (Claude 2.1/Instant, Llama 3.1, Mistral, Cohere, Jamba) are the
 * published list prices at the time of writing. Override with `mergeCatalog`.
 */
export const DEFAULT_CATALOG: Catalog = {
  'anthropic.claude-3-haiku-20240307-v1:0': entry('anthropic-messages', 'anthropic', 200_000, 4_096, VISION, 0.00025, 0.00125),
  'anthropic.claude-3-sonnet-20240229-v1:0': entry('anthropic-messages', 'anthropic', 200_000, 4_096, VISION, 0.003, 0.015),
  'anthropic.claude-3-opus-20240229-v1:0': entry('anthropic-messages', 'anthropic', 200_000, 4_096, VISION, 0.015, 0.075),
  'anthropic.claude-3-5-haiku-20241022-v1:0': entry('anthropic-messages', 'anthropic', 200_000, 8_192, TEXT_DOCS, 0.0008, 0.004),
  'anthropic.claude-3-5-sonnet-20240620-v1:0': entry('anthropic-messages', 'anthropic', 200_000, 8_192, VISION, 0.003, 0.015),
  'anthropic.claude-3-5-sonnet-20241022-v2:0': entry('anthropic-messages', 'anthropic', 200_000, 8_192, VISION, 0.003, 0.015),
  'anthropic.claude-v2:1': entry('anthropic-text', 'anthropic', 200_000, 4_096, TEXT, 0.008, 0.024),
  'anthropic.claude-instant-v1': entry('anthropic-text', 'anthropic', 100_000, 4_096, TEXT, 0.0008, 0.0024),
  'amazon.titan-text-express-v1': entry('titan-text', 'amazon', 8_192, 8_192, TEXT, 0.0002, 0.0006),
  'amazon.titan-text-lite-v1': entry('titan-text', 'amazon', 4_096, 4_096, TEXT, 0.00015, 0.0002),
  'amazon.titan-text-premier-v1:0': entry('titan-text', 'amazon', 32_000, 3_072, TEXT, 0.0005, 0.0015),
  'amazon.nova-micro-v1:0': entry('nova', 'amazon', 128_000, 5_000, TEXT, 0.000035, 0.00014),
  'amazon.nova-lite-v1:0': entry('nova', 'amazon', 300_000, 5_000, VISION, 0.00006, 0.00024),
  'amazon.nova-pro-v1:0': entry('nova', 'amazon', 300_000, 5_000, VISION, 0.0008, 0.0032),
  'meta.llama3-8b-instruct-v1:0': entry('llama', 'meta', 8_192, 2_048, TEXT, 0.0003, 0.0006),
  'meta.llama3-70b-instruct-v1:0': entry('llama', 'meta', 8_192, 2_048, TEXT, 0.00265, 0.0035),
  'meta.llama3-1-8b-instruct-v1:0': entry('llama', 'meta', 128_000, 2_048, TEXT_DOCS, 0.00022, 0.00022),
  'meta.llama3-1-70b-instruct-v1:0': entry('llama', 'meta', 128_000, 2_048, TEXT_DOCS, 0.00072, 0.00072),
  'mistral.mistral-7b-instruct-v0:2': entry('mistral', 'mistral', 32_000, 8_192, TEXT, 0.00015, 0.0002),
  'mistral.mixtral-8x7b-instruct-v0:1': entry('mistral', 'mistral', 32_000, 4_096, TEXT, 0.00045, 0.0007),
  'mistral.mistral-large-2402-v1:0': entry('mistral', 'mistral', 32_000, 8_192, TEXT_DOCS, 0.004, 0.012),
  'cohere.command-r-v1:0': entry('cohere-command-r', 'cohere', 128_000, 4_096, TEXT_DOCS, 0.0005, 0.0015),
  'cohere.command-r-plus-v1:0': entry('cohere-command-r', 'cohere', 128_000, 4_096, TEXT_DOCS, 0.003, 0.015),
  'ai21.jamba-1-5-mini-v1:0': entry('jamba', 'ai21', 256_000, 4_096, TEXT_DOCS, 0.0002, 0.0004),
  'ai21.jamba-1-5-large-v1:0': entry('jamba', 'ai21', 256_000, 4_096, TEXT_DOCS, 0.002, 0.008),
};

/**
 * The entry for a model id, looked up as given and then without its
 * inference-profile prefix or ARN (`us.amazon.nova-lite-v1:0` finds `amazon.nova-lite-v1:0`).
 */
export function lookupModel(catalog: Catalog, modelId: string): CatalogEntry | undefined {
  return catalog[modelId] ?? catalog[baseModelId(modelId)];
}

/** Price in USD of the tokens in `usage` at the entry's per-1,000-token prices. */
export function costOf(entry: CatalogEntry, usage: Usage): number {
  // Rounded to 1e-12 USD so sums of prices print without float noise (0.0000064000000000000006).
  return Math.round(((usage.inputTokens * entry.inputPer1k + usage.outputTokens * entry.outputPer1k) / 1000) * 1e12) / 1e12;
}

/**
 * `base` with the entries of `extra` added or replacing. `extra` is untrusted
 * (a config file, user options) and is decoded first; a bad entry throws a
 * `TypeError` naming its path, e.g. `catalog.my-model.inputPer1k: expected a non-negative number, got -1`.
 */
export function mergeCatalog(base: Catalog, extra: unknown): Catalog {
  const decoded = decodeWith(Catalog, extra, 'catalog');
  if (isLeft(decoded)) throw new TypeError(`invalid catalog: ${decoded.left.join('; ')}`);
  return { ...base, ...decoded.right };
}
