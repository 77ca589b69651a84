/** Throws a `TypeError` naming `option` of `owner` unless `value` is a finite number at least `min` (an integer when `integer`). */
export function checkNumber(owner: string, option: string, value: number, min: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${owner}: ${option} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** Like {@link checkNumber}, for an optional option: `undefined` passes through. */
export function checkOptionalNumber(owner: string, option: string, value: number | undefined, min: number, integer = false): number | undefined {
  return value === undefined ? undefined : checkNumber(owner, option, value, min, integer);
}
