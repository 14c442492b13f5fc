/** Plain JSON values as JSON.parse returns them, and helpers that never reach the prototype. */

export type JSONObject = { [key: string]: unknown };

export function isJSONObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own value of `key`, so that keys like `constructor` or `__proto__` read as absent unless present. */
export function ownValue(object: JSONObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets an own property, also for `__proto__`, which plain assignment would treat as the prototype. */
export function setOwn(object: JSONObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Renders a value as Go's `%v` prints decoded JSON (`map[k:v …]` with sorted keys, `[a b]`,
 * `<nil>`), so error messages read exactly like kube-apiserver's.
 */
export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (isJSONObject(value)) {
    const entries = Object.keys(value).sort().map((key) => `${key}:${formatGoValue(value[key])}`);
    return `map[${entries.join(' ')}]`;
  }
  if (typeof value === 'number') return formatGoFloat(value);
  return String(value);
}

/** JSON numbers decode to float64 in Go; `%v` prints them in exponent form from 1e+06 or below 1e-04. */
function formatGoFloat(n: number): string {
  const exponent = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exponent >= -4 && exponent < 6) return String(n);
  return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}
