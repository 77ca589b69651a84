import * as t from 'io-ts';
import { BoundedNumberType, NonEmptyString, StrictType } from '../core/codecs.js';
import { Bytes } from '../core/request.js';
import { StrategyFileCodec } from './schema.js';

type JsonSchema = Record<string, unknown>;

/**
 * Derives a JSON Schema (draft-07) from an io-ts codec, so the schema editors
 * complete against can never drift from the decoder that checks the file.
 * Recursive codecs become `definitions` referenced by `$ref`.
 */
export function toJsonSchema(codec: t.Mixed, title: string): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const names = new Map<t.Mixed, string>();

  const convert = (type: t.Mixed): JsonSchema => {
    const described = (schema: JsonSchema): JsonSchema => ({ description: type.name, ...schema });
    if (type instanceof t.RecursiveType) {
      let name = names.get(type);
      if (name === undefined) {
        name = names.size === 0 ? 'strategy' : `node${names.size}`;
        names.set(type, name);
        definitions[name] = convert(type.type as t.Mixed);
      }
      return { $ref: `#/definitions/${name}` };
    }
    if (type === NonEmptyString) return described({ type: 'string', minLength: 1 });
    if (type === Bytes) return described({ type: 'string', contentEncoding: 'base64' });
    if (type instanceof BoundedNumberType) {
      return described({ type: type.integer ? 'integer' : 'number', minimum: type.min, ...(type.max < Number.MAX_SAFE_INTEGER ? { maximum: type.max } : {}) });
    }
    if (type instanceof StrictType) {
      const properties = Object.fromEntries(Object.entries({ ...type.required, ...type.optional }).map(([k, v]) => [k, convert(v as t.Mixed)]));
      const required = Object.keys(type.required);
      return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
    }
    if (type instanceof t.UnionType) return described({ anyOf: (type.types as t.Mixed[]).map(convert) });
    if (type instanceof t.KeyofType) return described({ enum: Object.keys(type.keys) });
    if (type instanceof t.LiteralType) return { const: type.value };
    if (type instanceof t.ArrayType || type instanceof t.ReadonlyArrayType) return { type: 'array', items: convert(type.type as t.Mixed) };
    if (type instanceof t.DictionaryType) return { type: 'object', additionalProperties: convert(type.codomain as t.Mixed) };
    if (type instanceof t.RefinementType) return described(convert(type.type as t.Mixed));
    if (type instanceof t.StringType) return { type: 'string' };
    if (type instanceof t.NumberType) return { type: 'number' };
    if (type instanceof t.BooleanType) return { type: 'boolean' };
    throw new TypeError(`toJsonSchema: no JSON Schema for codec "${type.name}"`);
  };

  const root = convert(codec);
  return { $schema: 'http://json-schema.org/draft-07/schema#', title, ...root, definitions };
}

/** The JSON Schema of a strategy file (`schema/strategy.schema.json` is this, written out). */
export function strategyFileJsonSchema(): JsonSchema {
  return toJsonSchema(StrategyFileCodec, 'rx-bedrock strategy file');
}
