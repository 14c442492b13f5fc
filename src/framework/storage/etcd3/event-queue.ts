/**
 * An unbounded push queue read as an async iterator by one consumer. The
 * producer cannot be slowed down (etcd delivers all watches of a cluster over one
 * stream), so a consumer is expected to keep up; the watch cache does.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;

  /** @param onReturn called when the consumer leaves its loop early (break, throw). */
  constructor(private readonly onReturn: () => void) {}

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
  }

  /** No more items: the consumer still reads what is queued, then finishes. */
  end(): void {
    this.ended = true;
    this.wakeDone();
  }

  /** Finishes at once, dropping what is queued. */
  close(): void {
    this.ended = true;
    this.items = [];
    this.head = 0;
    this.wakeDone();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: async () => {
        this.onReturn();
        return { value: undefined, done: true };
      },
    };
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head];
      this.head += 1;
      this.compact();
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private wakeDone(): void {
    if (this.waiting && this.head >= this.items.length) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  /** Drops consumed items once they are the larger part of the array (amortised O(1) per item). */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
