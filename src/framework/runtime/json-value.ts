/** Helpers for plain JSON data: the representation on the wire, in storage and in patches. */

/** An object that is neither null nor an array: a JSON object or a class instance. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of JSON data; cheaper than structuredClone for this one case. */
export function cloneJSON<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJSON) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = cloneJSON(v);
  }
  return out as T;
}

/** The JSON type of a value as encoding/json names it in errors: string, number, bool, array, object, null. */
export function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
