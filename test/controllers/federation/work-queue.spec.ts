import assert from 'node:assert/strict';
import { WorkQueue } from '../../../src/controllers/federation/work-queue';
import { eventually } from '../../support/kubectl';

describe('federation controller: work queue', () => {
  let stop: AbortController;
  beforeEach(() => (stop = new AbortController()));
  afterEach(() => stop.abort());

  it('handles a key once however often it is added while waiting, and again when added while being handled', async () => {
    const queue = new WorkQueue({ retryInitialMs: 10, retryMaxMs: 10 });
    const handled: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    queue.add('a');
    queue.add('a');
    void queue.run(
      async (key) => {
        handled.push(key);
        if (handled.length === 1) await gate;
        return true;
      },
      stop.signal,
      2,
      () => undefined,
    );
    await eventually(() => assert.deepEqual(handled, ['a']));
    queue.add('a');
    queue.add('a');
    release();
    await eventually(() => assert.deepEqual(handled, ['a', 'a']));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(handled, ['a', 'a']);
  });

  it('tries a key that did not converge again after pauses that double', async () => {
    const queue = new WorkQueue({ retryInitialMs: 20, retryMaxMs: 1000 });
    const times: number[] = [];
    queue.add('k');
    void queue.run(async () => times.push(Date.now()) >= 4, stop.signal, 1, () => undefined);
    await eventually(() => assert.equal(times.length, 4), 2000);
    const pauses = times.slice(1).map((t, i) => t - times[i]);
    assert.ok(pauses[0] >= 18 && pauses[1] >= 38 && pauses[2] >= 78, `pauses ${pauses.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(times.length, 4, 'a key that converged is not tried again');
  });

  it('handles different keys at once, up to the number of workers', async () => {
    const queue = new WorkQueue({ retryInitialMs: 10, retryMaxMs: 10 });
    let active = 0;
    let most = 0;
    for (const key of ['a', 'b', 'c', 'd']) queue.add(key);
    void queue.run(
      async () => {
        most = Math.max(most, ++active);
        await new Promise((resolve) => setTimeout(resolve, 20));
        active--;
        return true;
      },
      stop.signal,
      2,
      () => undefined,
    );
    await eventually(() => assert.equal(queue.length, 0));
    assert.equal(most, 2);
  });
});
