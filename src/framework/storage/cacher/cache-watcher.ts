import type { SelectionPredicate, WatchEvent, Watcher } from '../interface';
import type { CacheEvent } from './cache-event';
import { RingBuffer } from './ring-buffer';

export interface CacheWatcherOptions {
  /** The watched key, or the watched prefix when recursive. */
  key: string;
  recursive: boolean;
  predicate?: SelectionPredicate;
  /** Whether this watcher wants periodic BOOKMARK events. */
  progressNotify: boolean;
  /** Live events it may have waiting; one more closes it. */
  bufferSize: number;
  /** Delivered before any live event, produced lazily as the consumer reads (the initial state or replayed changes). */
  initialEvents: Iterator<WatchEvent>;
  /** Live changes at or below this revision were already covered; they are skipped. */
  coveredRevision: number;
  /** Called once when the watcher ends, whatever the reason. */
  onStop: (watcher: CacheWatcher) => void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * One watch served from the cache. Live events are offered synchronously by the
 * dispatcher and wait in a bounded buffer until the consumer reads them; a
 * consumer that falls `bufferSize` events behind is closed (the stream ends, as
 * kube-apiserver does with unresponsive watchers), so the client re-watches from
 * the last revision it saw and never makes the server hold unbounded memory or
 * delay the other watchers. One consumer per watcher.
 */
export class CacheWatcher implements Watcher {
  readonly key: string;
  readonly recursive: boolean;
  readonly progressNotify: boolean;
  private readonly predicate?: SelectionPredicate;
  private readonly buffer: RingBuffer<WatchEvent>;
  private readonly onStop: (watcher: CacheWatcher) => void;
  private initialEvents: Iterator<WatchEvent> | null;
  private readonly coveredRevision: number;
  private waitingConsumer: ((result: IteratorResult<WatchEvent>) => void) | null = null;
  private stopped = false;

  constructor(options: CacheWatcherOptions) {
    this.key = options.key;
    this.recursive = options.recursive;
    this.progressNotify = options.progressNotify;
    this.predicate = options.predicate;
    this.buffer = new RingBuffer(options.bufferSize);
    this.initialEvents = options.initialEvents;
    this.coveredRevision = options.coveredRevision;
    this.onStop = options.onStop;
  }

  /** Whether a change under this key concerns this watcher (before the predicate). */
  watchesKey(key: string): boolean {
    return this.recursive ? key.startsWith(this.key) : key === this.key;
  }

  /** Delivers a live change the watcher has not seen yet. */
  offer(change: CacheEvent): void {
    if (change.revision <= this.coveredRevision) return;
    const event = change.visibleThrough(this.predicate);
    if (event !== null) this.deliver(event);
  }

  /**
   * Delivers a BOOKMARK unless the watcher is still behind on its buffer (a
   * bookmark is only a hint, never worth closing a watcher for) or started from a
   * later revision than the bookmark's.
   */
  offerBookmark(bookmark: WatchEvent, revision: number): void {
    if (revision < this.coveredRevision || this.buffer.length > 0) return;
    this.deliver(bookmark);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.initialEvents = null;
    this.buffer.clear();
    const consumer = this.waitingConsumer;
    this.waitingConsumer = null;
    consumer?.(DONE);
    this.onStop(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return {
      next: () => this.next(),
      return: () => {
        this.stop();
        return Promise.resolve(DONE);
      },
    };
  }

  private next(): Promise<IteratorResult<WatchEvent>> {
    if (this.waitingConsumer !== null) return Promise.reject(new Error('a watch has a single consumer'));
    if (this.initialEvents !== null) {
      const initial = this.initialEvents.next();
      if (!initial.done) return Promise.resolve(initial);
      this.initialEvents = null;
    }
    const event = this.buffer.shift();
    if (event !== undefined) return Promise.resolve({ done: false, value: event });
    if (this.stopped) return Promise.resolve(DONE);
    return new Promise((resolve) => (this.waitingConsumer = resolve));
  }

  private deliver(event: WatchEvent): void {
    if (this.stopped) return;
    const consumer = this.waitingConsumer;
    if (consumer !== null) {
      this.waitingConsumer = null;
      consumer({ done: false, value: event });
    } else if (this.buffer.isFull) {
      this.stop();
    } else {
      this.buffer.push(event);
    }
  }
}
