/**
 * Checked lookups for values that exist by construction (an index inside the array's bounds, a key the
 * code put there itself). A miss is a bug in Meridian, not bad input, so it throws an internal error
 * naming what was looked for instead of letting `undefined` travel on.
 */

/** The element of `items` at `index` (negative counts from the end); `what` names it in the error. */
export function at<T>(items: readonly T[], index: number, what: string): T {
  const found = items.at(index);
  if (found === undefined) {
    throw new Error(`Meridian internal error: no ${what} at index ${index} (length ${items.length})`);
  }
  return found;
}

/** The entry of `map` for `key`; `what` names it in the error. */
export function need<T>(map: ReadonlyMap<string, T> | Readonly<Record<string, T>>, key: string, what: string): T {
  const found = map instanceof Map ? map.get(key) : (map as Readonly<Record<string, T>>)[key];
  if (found === undefined) {
    const known = map instanceof Map ? [...map.keys()] : Object.keys(map);
    throw new Error(`Meridian internal error: no ${what} for ${key} (known: ${known.join(', ') || 'none'})`);
  }
  return found;
}

/** `value` when a search the code set up to succeed found it; `what` names it in the error otherwise. */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Meridian internal error: no ${what} found`);
  return value;
}
