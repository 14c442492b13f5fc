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
 * The current state of the cached prefix: entries by key, plus the same entries
 * in key order so a list of any sub-prefix is a binary search and a scan, with no
 * sort and no lookup per item.
 */
export class ObjectStore {
  private readonly entries = new Map<string, StoreEntry>();
  private readonly sorted: StoreEntry[] = [];

  get size(): number {
    return this.entries.size;
  }

  get(key: string): StoredObject | undefined {
    return this.entries.get(key)?.object;
  }

  /** Stores the object under the key and returns the previous one. */
  set(key: string, object: StoredObject): StoredObject | undefined {
    const previous = this.entries.get(key);
    const entry = new StoreEntry(key, object);
    this.entries.set(key, entry);
    const at = lowerBound(this.sorted, key);
    if (previous === undefined) this.sorted.splice(at, 0, entry);
    else this.sorted[at] = entry;
    return previous?.object;
  }

  /** Removes the key and returns the object it held. */
  delete(key: string): StoredObject | undefined {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.sorted.splice(lowerBound(this.sorted, key), 1);
    }
    return previous?.object;
  }

  clear(): void {
    this.entries.clear();
    this.sorted.length = 0;
  }

  /** The entry under exactly this key. */
  entry(key: string): StoreEntry | undefined {
    return this.entries.get(key);
  }

  /** The entries whose keys start with the prefix, in key order. */
  entriesBelow(prefix: string): StoreEntry[] {
    const [start, end] = this.rangeBelow(prefix);
    return this.sorted.slice(start, end);
  }

  /** The objects below the prefix that pass the predicate, in key order. */
  list(prefix: string, predicate?: SelectionPredicate): StoredObject[] {
    const [start, end] = this.rangeBelow(prefix);
    const items: StoredObject[] = [];
    for (let i = start; i < end; i++) {
      const object = this.sorted[i].object;
      if (predicate === undefined || predicate(object)) items.push(object);
    }
    return items;
  }

  count(prefix: string): number {
    const [start, end] = this.rangeBelow(prefix);
    return end - start;
  }

  /**
   * The index range of the sorted entries whose keys start with the prefix: from
   * the prefix up to the first key not below it (the prefix with its last
   * character raised by one), found by two binary searches.
   */
  private rangeBelow(prefix: string): [number, number] {
    if (prefix === '') return [0, this.sorted.length];
    const last = prefix.length - 1;
    const pastPrefix = prefix.slice(0, last) + String.fromCharCode(prefix.charCodeAt(last) + 1);
    return [lowerBound(this.sorted, prefix), lowerBound(this.sorted, pastPrefix)];
  }
}

/** The index of the first entry whose key is not less than `key`. */
function lowerBound(entries: StoreEntry[], key: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid].key < key) low = mid + 1;
    else high = mid;
  }
  return low;
}
