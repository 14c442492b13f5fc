import assert from 'node:assert/strict';
import { RingBuffer } from '../../../src/framework/storage/cacher/ring-buffer';

describe('storage/cacher ring buffer', () => {
  it('keeps FIFO order while it grows, wraps and evicts the oldest item when full', () => {
    const ring = new RingBuffer<number>(40);
    for (let i = 0; i < 10; i++) ring.push(i);
    for (let i = 0; i < 5; i++) assert.equal(ring.shift(), i);
    const evicted: number[] = [];
    for (let i = 10; i < 60; i++) {
      const dropped = ring.push(i);
      if (dropped !== undefined) evicted.push(dropped);
    }
    assert.ok(ring.isFull);
    assert.deepEqual(evicted, Array.from({ length: 15 }, (_, i) => i + 5));
    assert.deepEqual(Array.from({ length: ring.length }, (_, i) => ring.at(i)), Array.from({ length: 40 }, (_, i) => i + 20));
    const drained: number[] = [];
    for (let item = ring.shift(); item !== undefined; item = ring.shift()) drained.push(item);
    assert.deepEqual(drained, Array.from({ length: 40 }, (_, i) => i + 20));
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new RingBuffer(0), RangeError);
    assert.throws(() => new RingBuffer(1.5), RangeError);
  });
});
