/**
 * An unbounded queue read as an async iterable by one consumer: the producer
 * pushes synchronously and cannot be slowed down (a backend's watch stream), so
 * the consumer is expected to keep up — the watch cache does. `end()` lets the
 * consumer drain what is queued first; `stop()` drops it and finishes a pending
 * read at once.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;

  /** @param onReturn called when the consumer leaves its loop early (break, throw). */
  constructor(private readonly onReturn?: () => void) {}

  get isEnded(): boolean {
    return this.ended;
  }

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

  /** No more items; queued ones are still read. */
  end(): void {
    this.ended = true;
    this.finishWaiting();
  }

  /** No more items, and queued ones are dropped. */
  stop(): void {
    this.ended = true;
    this.items = [];
    this.head = 0;
    this.finishWaiting();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: async () => {
        this.stop();
        this.onReturn?.();
        return { value: undefined, done: true };
      },
    };
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++];
      this.compact();
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private finishWaiting(): void {
    if (!this.waiting) return;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve({ value: undefined, done: true });
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
