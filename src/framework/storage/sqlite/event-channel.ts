/**
 * An unbounded queue read as an async iterable: the producer pushes synchronously,
 * one consumer awaits. `end()` lets the consumer drain what is queued first;
 * `stop()` drops it and finishes a pending read at once.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private queue: T[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;

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
    this.queue.push(item);
  }

  /** No more items; queued ones are still read. */
  end(): void {
    this.ended = true;
    this.finishWaiting();
  }

  /** No more items, and queued ones are dropped. */
  stop(): void {
    this.ended = true;
    this.queue = [];
    this.head = 0;
    this.finishWaiting();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: async () => {
        this.stop();
        return { value: undefined, done: true };
      },
    };
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++];
      // Drop consumed items now and then so a long-lived queue does not keep them.
      if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
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
}
