import assert from 'node:assert/strict';
import { CoalescedRead } from '../../../src/framework/storage/cacher/coalesced-read';

describe('storage/cacher coalesced read', () => {
  /** A source whose value counts its reads, each read resolving when released. */
  function source() {
    let reads = 0;
    const inFlight: (() => void)[] = [];
    const read = () => {
      const value = ++reads;
      return new Promise<number>((resolve) => inFlight.push(() => resolve(value)));
    };
    return { read, reads: () => reads, release: () => inFlight.splice(0).forEach((done) => done()) };
  }

  it('reads once for every caller of one event-loop turn, after they all asked', async () => {
    const s = source();
    const shared = new CoalescedRead(s.read);
    const answers = [shared.get(), shared.get(), shared.get()];
    assert.equal(s.reads(), 0, 'the read waits for the turn to end');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(s.reads(), 1);
    s.release();
    assert.deepEqual(await Promise.all(answers), [1, 1, 1]);
  });

  it('gives a caller that asks while a read is in flight the next read, never the one started before it asked', async () => {
    const s = source();
    const shared = new CoalescedRead(s.read);
    const first = shared.get();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(s.reads(), 1, 'the first read is in flight');
    const second = shared.get();
    s.release();
    assert.equal(await first, 1);
    await new Promise((resolve) => setImmediate(resolve));
    s.release();
    assert.equal(await second, 2);
  });

  it('passes a failed read to the callers that shared it, and reads again for the next', async () => {
    let fail = true;
    const shared = new CoalescedRead(async () => {
      if (fail) throw new Error('storage unavailable');
      return 'ok';
    });
    await Promise.all([assert.rejects(shared.get(), /storage unavailable/), assert.rejects(shared.get(), /storage unavailable/)]);
    fail = false;
    assert.equal(await shared.get(), 'ok');
  });
});
