/**
 * Freezes a JSON value and everything inside it. Objects in the watch cache are
 * shared by every reader and every watcher, so nobody may change them in place.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
