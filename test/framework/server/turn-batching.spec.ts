import assert from 'node:assert/strict';
import type { ParameterizedContext } from 'koa';
import { withTurnBatching } from '../../../src/framework/server/filters/with-turn-batching';
import type { ApiState } from '../../../src/framework/endpoints/scope';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Keeps the event loop busy for `ms`, in slices, as a server under load does. */
async function busyFor(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const slice = Date.now() + 10;
    while (Date.now() < slice) {
      // work
    }
    await nextTurn();
  }
}

describe('server/filters turn batching', () => {
  const ctx = {} as ParameterizedContext<ApiState>;

  /** Whether the filter handed the request on before returning to the event loop. */
  async function handledAtOnce(filter: ReturnType<typeof withTurnBatching>): Promise<boolean> {
    let handled = false;
    const done = filter(ctx, async () => {
      handled = true;
    });
    const atOnce = handled;
    await done;
    assert.ok(handled);
    return atOnce;
  }

  it('handles a request at once while the event loop is idle, and after the turn while it is busy', async () => {
    const filter = withTurnBatching();
    await sleep(250);
    assert.equal(await handledAtOnce(filter), true, 'idle: no wait');
    await busyFor(300);
    assert.equal(await handledAtOnce(filter), false, 'busy: after the reads of the turn');
    await sleep(250);
    assert.equal(await handledAtOnce(filter), true, 'idle again');
  });
});
