/** Elements of a List or of a bare array: what the reader hands on and what it refuses. */

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The problem for an element that is not an object (`[1, "x"]` where Pods were expected). */
export function notAnObject(value: unknown): string {
  const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return `${what} where an object was expected; skipped`;
}
