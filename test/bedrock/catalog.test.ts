import { describe, expect, it } from 'vitest';
import { costOf, DEFAULT_CATALOG, lookupModel, mergeCatalog, type CatalogEntry } from '../../src/bedrock/catalog.js';
import { familyCodecOf } from '../../src/bedrock/families/index.js';

const custom: CatalogEntry = {
  family: 'nova',
  provider: 'amazon',
  contextWindow: 1000,
  maxOutputTokens: 100,
  capabilities: { images: false, documents: false, streaming: true, converse: true },
  inputPer1k: 1,
  outputPer1k: 2,
};

describe('DEFAULT_CATALOG', () => {
  it('holds the required models with the reference prices', () => {
    expect(DEFAULT_CATALOG['anthropic.claude-3-haiku-20240307-v1:0']).toMatchObject({ inputPer1k: 0.00025, outputPer1k: 0.00125 });
    expect(DEFAULT_CATALOG['anthropic.claude-3-opus-20240229-v1:0']).toMatchObject({ inputPer1k: 0.015, outputPer1k: 0.075 });
    expect(DEFAULT_CATALOG['anthropic.claude-3-5-haiku-20241022-v1:0']).toMatchObject({ inputPer1k: 0.0008, outputPer1k: 0.004 });
    expect(DEFAULT_CATALOG['amazon.nova-micro-v1:0']).toMatchObject({ inputPer1k: 0.000035, outputPer1k: 0.00014 });
    expect(DEFAULT_CATALOG['amazon.titan-text-lite-v1']).toMatchObject({ inputPer1k: 0.00015, outputPer1k: 0.0002 });
    expect(DEFAULT_CATALOG['meta.llama3-70b-instruct-v1:0']).toMatchObject({ inputPer1k: 0.00265, outputPer1k: 0.0035 });
    expect(Object.keys(DEFAULT_CATALOG).length).toBeGreaterThanOrEqual(25);
  });

  it('names, for every model, the family codec that matches its id', () => {
    for (const [id, entry] of Object.entries(DEFAULT_CATALOG)) expect(familyCodecOf(id)?.family, id).toBe(entry.family);
  });

  it('decodes with its own codec', () => {
    expect(mergeCatalog({}, DEFAULT_CATALOG)).toEqual(DEFAULT_CATALOG);
  });
});

describe('lookupModel', () => {
  it('finds ids as given, behind inference-profile prefixes and ARNs', () => {
    const nova = DEFAULT_CATALOG['amazon.nova-lite-v1:0'];
    expect(lookupModel(DEFAULT_CATALOG, 'amazon.nova-lite-v1:0')).toBe(nova);
    expect(lookupModel(DEFAULT_CATALOG, 'us.amazon.nova-lite-v1:0')).toBe(nova);
    expect(lookupModel(DEFAULT_CATALOG, 'global.amazon.nova-lite-v1:0')).toBe(nova);
    expect(lookupModel(DEFAULT_CATALOG, 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0')).toBe(nova);
    expect(lookupModel(DEFAULT_CATALOG, 'acme.unknown-v1')).toBeUndefined();
  });

  it('prefers an exact entry for a prefixed id', () => {
    const catalog = mergeCatalog(DEFAULT_CATALOG, { 'us.amazon.nova-lite-v1:0': custom });
    expect(lookupModel(catalog, 'us.amazon.nova-lite-v1:0')).toEqual(custom);
  });
});

describe('costOf', () => {
  it('prices input and output tokens per 1,000', () => {
    expect(costOf(custom, { inputTokens: 500, outputTokens: 250 })).toBeCloseTo(1, 12);
    expect(costOf(DEFAULT_CATALOG['anthropic.claude-3-haiku-20240307-v1:0']!, { inputTokens: 1000, outputTokens: 1000 })).toBeCloseTo(0.0015, 12);
  });
});

describe('mergeCatalog', () => {
  it('adds and overrides entries without touching the base', () => {
    const merged = mergeCatalog(DEFAULT_CATALOG, { 'acme.model-v1': custom, 'amazon.nova-micro-v1:0': custom });
    expect(merged['acme.model-v1']).toEqual(custom);
    expect(merged['amazon.nova-micro-v1:0']).toEqual(custom);
    expect(DEFAULT_CATALOG['amazon.nova-micro-v1:0']!.inputPer1k).toBe(0.000035);
  });

  it('throws a TypeError naming the bad field', () => {
    expect(() => mergeCatalog({}, { 'acme.model-v1': { ...custom, inputPer1k: -1 } })).toThrow(TypeError);
    expect(() => mergeCatalog({}, { 'acme.model-v1': { ...custom, inputPer1k: -1 } })).toThrow(/catalog\.acme\.model-v1\.inputPer1k/);
    expect(() => mergeCatalog({}, { 'acme.model-v1': { ...custom, family: 'gpt' } })).toThrow(/family/);
    expect(() => mergeCatalog({}, { 'acme.model-v1': { ...custom, extra: 1 } })).toThrow(/unknown key "extra"/);
  });
});
