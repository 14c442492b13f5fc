/**
 * Where a shared object keeps its encodings: a non-enumerable property, invisible
 * to JSON, spreads and structuredClone, and faster to reach than a WeakMap entry
 * (a list of 10,000 cached objects looks up 10,000 of them).
 */
const ENCODINGS = Symbol('encodings');

type WithEncodings = { [ENCODINGS]?: Map<string, Buffer> };

/** Encodings of frozen targets that were not given a slot before they were frozen. */
const encodings = new WeakMap<object, Map<string, Buffer>>();

/**
 * Gives `target` a place for its encodings; call it before freezing an object
 * that will be encoded often (the cache does so for every object and event it
 * hands out). Returns the target.
 */
export function withEncodingSlot<T extends object>(target: T): T {
  if (Object.isExtensible(target) && !Object.prototype.hasOwnProperty.call(target, ENCODINGS)) {
    Object.defineProperty(target, ENCODINGS, { value: new Map<string, Buffer>() });
  }
  return target;
}

/**
 * Returns `encode()`'s bytes for `target`, computing them once per (target, encoding).
 *
 * Objects and watch events handed out by the Cacher are frozen and shared, so the
 * server can ask for, say, the `application/json` watch line of one event for all
 * of its watchers and write the same Buffer to each, or build a list body by
 * concatenating each item's cached bytes. `encoding` names everything the bytes
 * depend on besides the target (e.g. `"example.com/v1;application/json"`), and
 * `encode` must be a pure function of the target and that name.
 *
 * A target that is not frozen may still change, so its bytes are not kept:
 * `encode` runs on every call.
 */
export function encodeOnce(target: object, encoding: string, encode: () => Buffer): Buffer {
  if (!Object.isFrozen(target)) return encode();
  let byEncoding = (target as WithEncodings)[ENCODINGS] ?? encodings.get(target);
  if (byEncoding === undefined) {
    byEncoding = new Map();
    encodings.set(target, byEncoding);
  }
  let bytes = byEncoding.get(encoding);
  if (bytes === undefined) {
    bytes = encode();
    byEncoding.set(encoding, bytes);
  }
  return bytes;
}
