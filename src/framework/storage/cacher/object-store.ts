import type { SelectionPredicate, StoredObject, WatchEvent } from '../interface';
import { withEncodingSlot } from './encode-once';
import { SortedChunks } from './sorted-chunks';

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
 * in key order (in chunks, see SortedChunks) so a list of any sub-prefix is a
 * binary search and a scan, with no sort and no lookup per item.
 */
export class ObjectStore {
  private readonly entries = new Map<string, StoreEntry>();
  private readonly sorted = new SortedChunks<StoreEntry>();

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
    this.sorted.set(entry);
    return previous?.object;
  }

  /** Removes the key and returns the object it held. */
  delete(key: string): StoredObject | undefined {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.sorted.delete(key);
    }
    return previous?.object;
  }

  clear(): void {
    this.entries.clear();
    this.sorted.clear();
  }

  /** The entry under exactly this key. */
  entry(key: string): StoreEntry | undefined {
    return this.entries.get(key);
  }

  /** The entries whose keys start with the prefix, in key order. */
  entriesBelow(prefix: string): StoreEntry[] {
    const entries: StoreEntry[] = [];
    this.sorted.forEachBetween(prefix, pastPrefix(prefix), (entry) => entries.push(entry));
    return entries;
  }

  /** The objects below the prefix that pass the predicate, in key order. */
  list(prefix: string, predicate?: SelectionPredicate): StoredObject[] {
    const items: StoredObject[] = [];
    this.sorted.forEachBetween(prefix, pastPrefix(prefix), ({ object }) => {
      if (predicate === undefined || predicate(object)) items.push(object);
    });
    return items;
  }

  count(prefix: string): number {
    return this.sorted.countBetween(prefix, pastPrefix(prefix));
  }
}

/**
 * The first key not below the prefix: the prefix with its last character raised
 * by one; undefined for the empty prefix, below which every key is.
 */
function pastPrefix(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const last = prefix.length - 1;
  return prefix.slice(0, last) + String.fromCharCode(prefix.charCodeAt(last) + 1);
}
