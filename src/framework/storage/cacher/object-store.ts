import type { SelectionPredicate, StoredObject, WatchEvent } from '../interface';
import { withEncodingSlot } from './encode-once';

/** One cached object and, made on first demand, its ADDED event for watchers that start with the current state. */
export class StoreEntry {
  private added?: WatchEvent;

  constructor(
    readonly key: string,
    readonly object: StoredObject,
  ) {}

  get addedEvent(): WatchEvent {
    return (this.added ??= Object.freeze(withEncodingSlot<WatchEvent>({ type: 'ADDED', object: this.object })));
  }
}

/**
 * The current state of the cached prefix: objects by key, plus the keys in sorted
 * order so a list of any sub-prefix is a binary search and a scan, with no sort.
 */
export class ObjectStore {
  private readonly entries = new Map<string, StoreEntry>();
  private readonly sortedKeys: string[] = [];

  get size(): number {
    return this.entries.size;
  }

  get(key: string): StoredObject | undefined {
    return this.entries.get(key)?.object;
  }

  /** Stores the object under the key and returns the previous one. */
  set(key: string, object: StoredObject): StoredObject | undefined {
    const previous = this.entries.get(key);
    this.entries.set(key, new StoreEntry(key, object));
    if (previous === undefined) this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 0, key);
    return previous?.object;
  }

  /** Removes the key and returns the object it held. */
  delete(key: string): StoredObject | undefined {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 1);
    }
    return previous?.object;
  }

  clear(): void {
    this.entries.clear();
    this.sortedKeys.length = 0;
  }

  /** The entry under exactly this key. */
  entry(key: string): StoreEntry | undefined {
    return this.entries.get(key);
  }

  /** The entries whose keys start with the prefix, in key order. */
  entriesBelow(prefix: string): StoreEntry[] {
    const [start, end] = this.rangeBelow(prefix);
    const found: StoreEntry[] = new Array(end - start);
    for (let i = start; i < end; i++) found[i - start] = this.entries.get(this.sortedKeys[i]) as StoreEntry;
    return found;
  }

  /** The objects below the prefix that pass the predicate, in key order. */
  list(prefix: string, predicate?: SelectionPredicate): StoredObject[] {
    const [start, end] = this.rangeBelow(prefix);
    const items: StoredObject[] = [];
    for (let i = start; i < end; i++) {
      const object = (this.entries.get(this.sortedKeys[i]) as StoreEntry).object;
      if (predicate === undefined || predicate(object)) items.push(object);
    }
    return items;
  }

  count(prefix: string): number {
    const [start, end] = this.rangeBelow(prefix);
    return end - start;
  }

  /** The index range of the sorted keys that start with the prefix. */
  private rangeBelow(prefix: string): [number, number] {
    const start = lowerBound(this.sortedKeys, prefix);
    let end = start;
    while (end < this.sortedKeys.length && this.sortedKeys[end].startsWith(prefix)) end++;
    return [start, end];
  }
}

/** The index of the first key not less than `key`. */
function lowerBound(keys: string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid] < key) low = mid + 1;
    else high = mid;
  }
  return low;
}
