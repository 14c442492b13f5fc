import assert from 'node:assert/strict';
import type { ParameterizedContext } from 'koa';
import { withTurnBatching } from '../../../src/framework/server/filters/with-turn-batching';
import type { ApiState } from '../../../src/framework/endpoints/scope';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('server/filters turn batching', () => {
  const ctx = {} as ParameterizedContext<ApiState>;
  const filter = withTurnBatching();

  /** Starts a request through the filter; `handled` says whether it has reached the handler. */
  function start(): { handled: () => boolean; done: Promise<void> } {
    let handled = false;
    const done = filter(ctx, async () => {
      handled = true;
    });
    return { handled: () => handled, done };
  }

  it('handles a request that comes alone in its turn at once', async () => {
    await nextTurn();
    const alone = start();
    assert.equal(alone.handled(), true);
    await alone.done;
  });

  it('of several requests in one turn, handles the first at once and the others together when the turn ends', async () => {
    await nextTurn();
    const [first, second, third] = [start(), start(), start()];
    assert.deepEqual([first.handled(), second.handled(), third.handled()], [true, false, false]);
    await nextTurn();
    assert.deepEqual([second.handled(), third.handled()], [true, true]);
    await Promise.all([first.done, second.done, third.done]);
    const next = start();
    assert.equal(next.handled(), true, 'a new turn starts the count again');
    await next.done;
  });
});
