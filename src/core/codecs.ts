import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';

/** The codec class behind {@link strictType}; the reporter looks through its inner intersection. */
export class StrictType<A, O> extends t.Type<A, O, unknown> {
  constructor(
    name: string,
    is: t.Is<A>,
    validate: t.Validate<unknown, A>,
    encode: t.Encode<A, O>,
    /** The properties it requires and allows (kept for JSON Schema generation). */
    readonly required: t.Props,
    readonly optional: t.Props,
  ) {
    super(name, is, validate, encode);
  }
}

/**
 * An object codec that rejects keys it does not know (a typo is an error, not
 * silently ignored), with required and optional properties.
 */
export function strictType<R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<t.TypeOf<t.TypeC<R>> & t.TypeOf<t.PartialC<O>>, t.OutputOf<t.TypeC<R>> & t.OutputOf<t.PartialC<O>>, unknown> {
  const shape = t.intersection([t.type(required), t.partial(optional)]);
  const known = new Set([...Object.keys(required), ...Object.keys(optional)]);
  return new StrictType(
    name,
    (u): u is t.TypeOf<t.TypeC<R>> & t.TypeOf<t.PartialC<O>> => shape.is(u),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, `expected ${name}`);
      const unknownKeys = Object.keys(u).filter((k) => !known.has(k));
      if (unknownKeys.length > 0) {
        return t.failures(
          unknownKeys.map((k) => ({
            value: (u as Record<string, unknown>)[k],
            context: [...c, { key: k, type: t.never, actual: (u as Record<string, unknown>)[k] }],
            message: `unknown key "${k}" (known: ${[...known].join(', ')})`,
          })),
        );
      }
      return shape.validate(u, c);
    },
    (a) => shape.encode(a),
    required,
    optional,
  );
}

/** A number codec with bounds it remembers (for messages and JSON Schema). */
export class BoundedNumberType extends t.Type<number, number, unknown> {
  constructor(
    name: string,
    readonly min: number,
    readonly max: number,
    readonly integer: boolean,
  ) {
    super(
      name,
      (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= min && u <= max && (!integer || Number.isInteger(u)),
      (u, c) => (this.is(u) ? t.success(u) : t.failure(u, c)),
      t.identity,
    );
  }
}

/** A finite number in `[min, max]`. */
export function numberIn(min: number, max: number, name = `a number in [${min}, ${max}]`): BoundedNumberType {
  return new BoundedNumberType(name, min, max, false);
}

/** An integer in `[min, max]`. */
export function integerIn(min: number, max: number, name = `an integer in [${min}, ${max}]`): BoundedNumberType {
  return new BoundedNumberType(name, min, max, true);
}

/** A whole number greater than zero. */
export const PositiveInt = integerIn(1, Number.MAX_SAFE_INTEGER, 'a positive integer');
/** A whole number, zero or more. */
export const NonNegativeInt = integerIn(0, Number.MAX_SAFE_INTEGER, 'a non-negative integer');
/** A finite number, zero or more. */
export const NonNegativeNumber = numberIn(0, Number.MAX_VALUE, 'a non-negative number');
/** A string with at least one character. */
export const NonEmptyString = t.refinement(t.string, (s) => s.length > 0, 'a non-empty string') as unknown as t.Type<string, string, unknown>;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

/** A recursive codec stands for the codec it resolves to. */
function resolved(type: t.Decoder<unknown, unknown>): t.Decoder<unknown, unknown> {
  return type instanceof t.RecursiveType ? resolved(type.type as t.Decoder<unknown, unknown>) : type;
}

function isUnion(type: t.Decoder<unknown, unknown>): boolean {
  return resolved(type) instanceof t.UnionType;
}

function isStructural(decoder: t.Decoder<unknown, unknown>): boolean {
  const type = resolved(decoder);
  return (
    type instanceof t.UnionType || type instanceof t.IntersectionType || type instanceof t.RefinementType || type instanceof StrictType
  );
}

/** True when context step `i` is a codec looking into its own members (no key of the data); unknown-key steps are real keys. */
function isWrapperStep(context: t.Context, i: number): boolean {
  return isStructural(context[i - 1]!.type as t.Decoder<unknown, unknown>) && !(context[i]!.type instanceof t.NeverType);
}

function pathOf(context: t.Context, root: string): string {
  let path = root;
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]!.type;
    if (isWrapperStep(context, i)) continue;
    const key = context[i]!.key;
    path += /^\d+$/.test(key) && (resolved(parent as t.Decoder<unknown, unknown>) instanceof t.ArrayType || resolved(parent as t.Decoder<unknown, unknown>) instanceof t.ReadonlyArrayType) ? `[${key}]` : path ? `.${key}` : key;
  }
  return path;
}

function depthOf(context: t.Context): number {
  return context.filter((_entry, i) => i === 0 || !isWrapperStep(context, i)).length;
}

/**
 * Turns io-ts errors into one line per problem, `path: expected X, got Y`.
 * Where a union was tried, only the alternative that got furthest is reported,
 * so a bad image format reads `messages[0].content[1].image.format: …`, not
 * three complaints about text, image and document blocks.
 */
export function reportErrors(errors: t.Errors, root = ''): string[] {
  const described = errors.map((error) => {
    const unions = error.context.flatMap((entry, i) =>
      isUnion(entry.type as t.Decoder<unknown, unknown>)
        ? [{ key: `${pathOf(error.context.slice(0, i + 1), root) || '(root)'}#${i}`, member: error.context[i + 1]?.key ?? '', at: i }]
        : [],
    );
    const last = error.context[error.context.length - 1];
    const path = pathOf(error.context, root) || '(root)';
    const line = error.message
      ? `${path}: ${error.message}`
      : `${path}: expected ${last?.type.name ?? 'a valid value'}, got ${describe(error.value)}`;
    return { error, unions, depth: depthOf(error.context), line };
  });
  // Score each alternative of each union by how far its errors got; keep only errors on winning alternatives.
  const score = new Map<string, number>();
  for (const d of described) for (const u of d.unions) score.set(`${u.key}/${u.member}`, Math.max(score.get(`${u.key}/${u.member}`) ?? 0, d.depth));
  const bestOf = new Map<string, number>();
  for (const [k, v] of score) {
    const unionKey = k.slice(0, k.lastIndexOf('/'));
    bestOf.set(unionKey, Math.max(bestOf.get(unionKey) ?? 0, v));
  }
  const kept = described.filter((d) => d.unions.every((u) => score.get(`${u.key}/${u.member}`) === bestOf.get(u.key)));
  // Where several alternatives of the innermost union tie, say what the union expected instead.
  const lines: string[] = [];
  const collapsed = new Set<string>();
  for (const d of kept) {
    const inner = d.unions[d.unions.length - 1];
    const rivals = inner ? new Set(kept.filter((o) => o.unions.some((u) => u.key === inner.key)).map((o) => o.unions.find((u) => u.key === inner.key)!.member)) : new Set();
    if (inner && rivals.size > 1) {
      if (collapsed.has(inner.key)) continue;
      collapsed.add(inner.key);
      const entry = d.error.context[inner.at]!;
      lines.push(`${inner.key.slice(0, inner.key.lastIndexOf('#'))}: expected ${entry.type.name}, got ${describe(entry.actual)}`);
    } else if (!lines.includes(d.line)) lines.push(d.line);
  }
  return lines;
}

/** Decodes with `codec`, reporting failures as path lines. */
export function decodeWith<A>(codec: t.Decoder<unknown, A>, input: unknown, root = ''): Either<string[], A> {
  const result = codec.decode(input);
  return isLeft(result) ? left(reportErrors(result.left, root)) : right(result.right);
}
