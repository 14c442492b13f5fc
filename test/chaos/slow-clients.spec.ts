/**
 * Slow and stuck clients: a watcher that never reads is disconnected once its
 * buffer fills while another watcher gets every event; a body sent at one byte
 * per second is cut off by a timeout. (5,000 idle connections: idle-connections.chaos.ts.)
 */
import assert from 'node:assert/strict';
import { BENCH_GROUP, ITEMS_PATH, itemBody } from '../../bench/lib/bench-resource';
import { eventually } from '../support/kubectl';
import { ChaosClient } from './chaos-client';
import { startServerProcess, type ServerProcess } from './server-process';

const REQUEST_TIMEOUT_MS = 3000;

/** The value of apiserver_longrunning_requests for watches of items. */
async function openItemWatches(client: ChaosClient): Promise<number> {
  const metrics = await client.request('GET', '/metrics');
  const line = metrics.body.split('\n').find((l) => l.startsWith('apiserver_longrunning_requests{') && l.includes('verb="WATCH"') && l.includes('resource="items"'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('chaos: slow and stuck clients', function () {
  this.timeout(180_000);
  let server: ServerProcess;
  let client: ChaosClient;

  before(async () => {
    server = await startServerProcess({ flags: [`--request-timeout=${REQUEST_TIMEOUT_MS}ms`] });
    client = new ChaosClient(server.kubeconfig);
  });

  after(async () => {
    client?.close();
    await server?.dispose();
  });

  it('a watcher that never reads is disconnected when its buffer fills; another watcher sees every event', async () => {
    const OBJECTS = 10;
    const BASELINE_UPDATES = 500;
    const UPDATES = 2000;
    // Objects over one TLS record (16 KiB), created one after another on the reused keep-alive connection.
    const bigData = 'y'.repeat(20 * 1024);
    for (let i = 0; i < OBJECTS; i++) {
      const body = JSON.stringify({ apiVersion: `${BENCH_GROUP}/v1`, kind: 'Item', metadata: { name: `big-${i}` }, spec: { data: bigData, counter: 0 } });
      const created = await client.request('POST', ITEMS_PATH, { body });
      assert.equal(created.status, 201, `${i} ${created.error ?? created.body} ${server.stderr}`);
    }
    const healthy = client.watch(ITEMS_PATH);
    assert.equal(await healthy.status, 200);
    /** When the patch setting each counter was sent. */
    const sentAt = new Map<number, number>();
    const patchCounters = async (from: number, to: number) => {
      const patches: Promise<unknown>[] = [];
      for (let n = from; n <= to; n++) {
        sentAt.set(n, Date.now());
        patches.push(
          client.request('PATCH', `${ITEMS_PATH}/big-${n % OBJECTS}`, { body: JSON.stringify({ spec: { counter: n } }), contentType: 'application/merge-patch+json' }).then((r) => {
            assert.equal(r.status, 200, r.body);
          }),
        );
        if (patches.length === 64) await Promise.all(patches.splice(0));
      }
      await Promise.all(patches);
    };
    const modified = () => healthy.events.filter((e) => e.type === 'MODIFIED').length;
    /** Milliseconds from sending each patch to the reading watcher receiving its event, for counters in [from, to]. */
    const latencies = (from: number, to: number) =>
      healthy.events
        .map((e, i) => ({ counter: (e.object as { spec?: { counter?: number } }).spec?.counter ?? 0, at: healthy.arrivals[i] }))
        .filter((e) => e.counter >= from && e.counter <= to)
        .map((e) => e.at - sentAt.get(e.counter)!)
        .sort((a, b) => a - b);
    const percentiles = (ms: number[]) => `p50 ${ms[Math.floor(ms.length * 0.5)]} ms, p99 ${ms[Math.floor(ms.length * 0.99)]} ms`;

    // The reading watcher's latency on its own, then with a watcher that never reads beside it.
    await patchCounters(1, BASELINE_UPDATES);
    await eventually(() => assert.equal(modified(), BASELINE_UPDATES, 'the reading watcher got every update'), 30_000);

    const stuck = await client.connectTLS();
    stuck.write(`GET ${ITEMS_PATH}?watch=true HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n`);
    stuck.pause();
    await eventually(async () => assert.equal(await openItemWatches(client), 2), 5000);

    const started = Date.now();
    await patchCounters(BASELINE_UPDATES + 1, BASELINE_UPDATES + UPDATES);
    await eventually(() => assert.equal(modified(), BASELINE_UPDATES + UPDATES, 'the reading watcher got every update'), 30_000);
    const healthyMs = Date.now() - started;

    // The stuck watch is gone on the server while its client still has not read a byte more.
    await eventually(async () => assert.equal(await openItemWatches(client), 1, 'only the reading watch is still open'), 10_000);
    assert.equal(await Promise.race([healthy.ended, Promise.resolve('open')]), 'open', 'the reading watch is still open');
    healthy.close();
    stuck.destroy();
    console.log(
      `      ${UPDATES} updates of 20 KiB objects: the reading watcher got all ${modified() - BASELINE_UPDATES} in ${healthyMs} ms; the watcher that never read was closed by the server; ` +
        `reading watcher latency alone ${percentiles(latencies(1, BASELINE_UPDATES))}, beside the stuck one ${percentiles(latencies(BASELINE_UPDATES + 1, BASELINE_UPDATES + UPDATES))}`,
    );
  });

  it('a body sent at one byte per second is cut off by a timeout', async () => {
    const socket = await client.connectTLS();
    const body = itemBody('slow-body');
    socket.write(`POST ${ITEMS_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const started = Date.now();
    let sent = 0;
    let open = true;
    void closed.then(() => (open = false));
    // At most 60 bytes over a minute; a server without a timeout would keep waiting for the rest.
    while (open && sent < 60) {
      socket.write(body[sent++]);
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (answer) break;
    }
    const cutAfterMs = Date.now() - started;
    socket.destroy();
    const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
    console.log(`      slow body: ${sent} of ${Buffer.byteLength(body)} bytes sent; cut off after ${cutAfterMs} ms with ${status ?? 'the connection closed'}`);
    assert.ok(sent < 60, `the server was still waiting after ${sent} bytes at one byte per second`);
    if (status) assert.ok(['408', '504'].includes(status), `answered ${status}`);
    const stored = await client.request('GET', `${ITEMS_PATH}/slow-body`);
    assert.equal(stored.status, 404, 'nothing was created from the partial body');
  });
});
