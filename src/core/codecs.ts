import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';

/** The codec class behind {@link strictType}; the reporter looks through its inner intersection. */
export class StrictType<A, O> extends t.Type<A, O, unknown> {}

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
  );
}

/** A finite number in `[min, max]`. */
export function numberIn(min: number, max: number, name = `a number in [${min}, ${max}]`): t.Type<number, number, unknown> {
  return t.refinement(t.number, (n) => Number.isFinite(n) && n >= min && n <= max, name) as unknown as t.Type<number, number, unknown>;
}

/** An integer in `[min, max]`. */
export function integerIn(min: number, max: number, name = `an integer in [${min}, ${max}]`): t.Type<number, number, unknown> {
  return t.refinement(t.number, (n) => Number.isInteger(n) && n >= min && n <= max, name) as unknown as t.Type<number, number, unknown>;
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

function isStructural(type: t.Decoder<unknown, unknown>): boolean {
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
    path += /^\d+$/.test(key) && (parent instanceof t.ArrayType || parent instanceof t.ReadonlyArrayType) ? `[${key}]` : path ? `.${key}` : key;
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
  interface Group { depth: number; lines: string[]; members: Set<string>; union?: { path: string; name: string; value: unknown } }
  const best = new Map<string, Group>();
  for (const error of errors) {
    const unionAt = error.context.map((c) => c.type).findLastIndex((type) => type instanceof t.UnionType);
    const unionPath = unionAt < 0 ? '' : pathOf(error.context.slice(0, unionAt + 1), root) || '(root)';
    const group = unionAt < 0 ? '' : `${unionPath}#${unionAt}`;
    const member = error.context[unionAt + 1]?.key ?? '';
    const depth = depthOf(error.context);
    const last = error.context[error.context.length - 1];
    const path = pathOf(error.context, root) || '(root)';
    const line = error.message
      ? `${path}: ${error.message}`
      : `${path}: expected ${last?.type.name ?? 'a valid value'}, got ${describe(error.value)}`;
    const union = unionAt < 0 ? undefined : { path: unionPath, name: error.context[unionAt]!.type.name, value: error.context[unionAt]!.actual };
    const current = best.get(group);
    if (!current || depth > current.depth) best.set(group, { depth, lines: [line], members: new Set([member]), ...(union ? { union } : {}) });
    else if (depth === current.depth) {
      if (!current.lines.includes(line)) current.lines.push(line);
      current.members.add(member);
    }
  }
  return [...best.values()].flatMap((g) =>
    g.union && g.members.size > 1 ? [`${g.union.path}: expected ${g.union.name}, got ${describe(g.union.value)}`] : g.lines,
  );
}

/** Decodes with `codec`, reporting failures as path lines. */
export function decodeWith<A>(codec: t.Decoder<unknown, A>, input: unknown, root = ''): Either<string[], A> {
  const result = codec.decode(input);
  return isLeft(result) ? left(reportErrors(result.left, root)) : right(result.right);
}
