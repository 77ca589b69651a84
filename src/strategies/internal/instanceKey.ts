let instances = 0;

/** A key unique to one wrapper instance in this process (`rateLimit#3`): the default state key of a stateful wrapper. */
export function instanceKey(prefix: string): string {
  instances += 1;
  return `${prefix}#${instances}`;
}
