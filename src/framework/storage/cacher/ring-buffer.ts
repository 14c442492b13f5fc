const INITIAL_SLOTS = 16;

/**
 * A bounded FIFO over a circular array. Its storage doubles on demand up to the
 * capacity, so a thousand idle watchers with room for a thousand events each cost
 * little; push and shift do not allocate once it has grown.
 */
export class RingBuffer<T> {
  private slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Array<T | undefined>(Math.min(capacity, INITIAL_SLOTS));
  }

  get length(): number {
    return this.count;
  }

  get isFull(): boolean {
    return this.count === this.capacity;
  }

  /** Appends an item; when full, drops the oldest item and returns it. */
  push(item: T): T | undefined {
    if (this.count === this.slots.length && this.count < this.capacity) this.grow();
    if (this.count < this.slots.length) {
      this.slots[(this.head + this.count) % this.slots.length] = item;
      this.count++;
      return undefined;
    }
    const evicted = this.slots[this.head];
    this.slots[this.head] = item;
    this.head = (this.head + 1) % this.slots.length;
    return evicted;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.count--;
    return item;
  }

  /** The item at position i, 0 being the oldest. */
  at(i: number): T {
    return this.slots[(this.head + i) % this.slots.length] as T;
  }

  clear(): void {
    this.slots = new Array<T | undefined>(Math.min(this.capacity, INITIAL_SLOTS));
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const grown = new Array<T | undefined>(Math.min(this.capacity, this.slots.length * 2));
    for (let i = 0; i < this.count; i++) grown[i] = this.at(i);
    this.slots = grown;
    this.head = 0;
  }
}
