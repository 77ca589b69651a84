/** Throws a `TypeError` naming `option` of `owner` unless `value` is a finite number ≥ `min` (an integer when `integer`). */
export function checkNumber(owner: string, option: string, value: unknown, min: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${owner}: ${option} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** Like {@link checkNumber} for an optional option: `undefined` passes through. */
export function checkOptionalNumber(owner: string, option: string, value: unknown, min: number, integer = false): number | undefined {
  return value === undefined ? undefined : checkNumber(owner, option, value, min, integer);
}

/** Throws a `TypeError` naming `option` of `owner` unless every entry of `models` is a function (an operator). */
export function checkModels(owner: string, option: string, models: readonly unknown[]): void {
  if (models.length === 0) throw new TypeError(`${owner}: ${option} must hold at least one StreamingModel`);
  models.forEach((m, i) => {
    if (typeof m !== 'function') throw new TypeError(`${owner}: ${option}[${i}] must be a StreamingModel (an operator function)`);
  });
}
