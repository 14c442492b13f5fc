/**
 * Two server processes on one etcd, clients spread over both; one is SIGKILLed
 * mid-stream. A watch on the survivor sees every acknowledged create, and
 * clients that retry on the survivor lose nothing (a retried create that meets
 * 409 AlreadyExists had gone through before the kill). The same with one server
 * of two workers (--workers 2), one worker SIGKILLed: the primary replaces it.
 */
import assert from 'node:assert/strict';
import { ITEMS_PATH, itemBody } from '../../bench/lib/bench-resource';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { eventually } from '../support/kubectl';
import { ChaosClient } from './chaos-client';
import { ResumingWatch } from './resuming-watch';
import { startServerProcess, type ServerProcess } from './server-process';

const CLIENTS = 8;
const CREATES_PER_CLIENT = 60;

describe('chaos: two servers on one etcd, one of them killed', function () {
  this.timeout(180_000);
  let etcd: EtcdProcess;
  const servers: ServerProcess[] = [];
  const clients: ChaosClient[] = [];

  before(async () => {
    etcd = await startEtcd();
    for (let i = 0; i < 2; i++) {
      const server = await startServerProcess({ etcdServers: [etcd.endpoint], etcdPrefix: '/ha' });
      servers.push(server);
      clients.push(new ChaosClient(server.kubeconfig));
    }
  });

  after(async () => {
    for (const client of clients) client.close();
    for (const server of servers) await server.dispose();
    await etcd?.stop();
  });

  it('the survivor watches every event and retrying clients lose nothing', async () => {
    const [doomed, survivor] = [clients[0], clients[1]];
    const watch = survivor.watch(ITEMS_PATH);
    assert.equal(await watch.status, 200);
    const acked: string[] = [];
    let retried = 0;
    let answeredByDoomed = 0;
    let killed: Promise<void> | undefined;

    const createWithRetry = async (name: string, first: ChaosClient) => {
      const r = await first.request('POST', ITEMS_PATH, { body: itemBody(name), deadlineMs: 10_000 });
      if (r.status === 201) {
        acked.push(name);
        if (first === doomed && ++answeredByDoomed === (CLIENTS * CREATES_PER_CLIENT) / 4) killed = servers[0].kill();
        return;
      }
      retried++;
      for (;;) {
        const again = await survivor.request('POST', ITEMS_PATH, { body: itemBody(name), deadlineMs: 10_000 });
        if (again.status === 201 || again.status === 409) {
          acked.push(name);
          return;
        }
      }
    };
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let n = 0; n < CREATES_PER_CLIENT; n++) await createWithRetry(`ha-${c}-${n}`, c % 2 === 0 ? doomed : survivor);
      }),
    );
    assert.ok(killed, 'one server was killed mid-stream');
    await killed;

    await eventually(() => {
      const seen = new Set(watch.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata?.name));
      const missing = acked.filter((name) => !seen.has(name));
      assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged creates not seen by the survivor's watch`);
    }, 30_000);
    const list = await survivor.request('GET', ITEMS_PATH);
    const stored = new Set((JSON.parse(list.body) as { items: Array<{ metadata: { name: string } }> }).items.map((i) => i.metadata.name));
    assert.deepEqual(acked.filter((name) => !stored.has(name)), [], 'acknowledged creates lost');
    watch.close();
    const seen = new Set(watch.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata?.name));
    console.log(
      `      creates acknowledged ${acked.length} of ${CLIENTS * CREATES_PER_CLIENT} (${retried} retried on the survivor), ${acked.filter((n) => stored.has(n)).length} found stored; ` +
        `the survivor's watch: ${acked.length} ADDED events expected, ${acked.filter((n) => seen.has(n)).length} seen`,
    );
    assert.equal(acked.length, CLIENTS * CREATES_PER_CLIENT);
  });
});

describe('chaos: --workers 2 on one etcd, one worker killed', function () {
  this.timeout(180_000);
  let etcd: EtcdProcess;
  let server: ServerProcess;
  let client: ChaosClient;

  before(async () => {
    etcd = await startEtcd();
    server = await startServerProcess({ etcdServers: [etcd.endpoint], etcdPrefix: '/ha-workers', flags: ['--workers', '2'] });
    // Connections are handed to the workers in turn: the pool spreads over both.
    client = new ChaosClient(server.kubeconfig);
  });

  after(async () => {
    client?.close();
    await server?.dispose();
    await etcd?.stop();
  });

  it('a watch sees every acknowledged create, retrying clients lose nothing, the worker is replaced', async () => {
    const workers = server.childPids();
    assert.equal(workers.length, 2, 'two workers');
    const list = await client.request('GET', ITEMS_PATH);
    assert.equal(list.status, 200, list.body);
    // Held by one worker or the other; if its worker dies it resumes from its last resourceVersion, as a reflector does.
    const watch = new ResumingWatch(client, (JSON.parse(list.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion);
    const watching = watch.run();
    const acked: string[] = [];
    let retried = 0;
    let killed = false;

    const createWithRetry = async (name: string) => {
      for (let attempt = 0; ; attempt++) {
        const r = await client.request('POST', ITEMS_PATH, { body: itemBody(name), deadlineMs: 10_000 });
        // 409 on a retry: the attempt cut off by the kill had gone through.
        if (r.status === 201 || (attempt > 0 && r.status === 409)) break;
        if (attempt === 0) retried++;
      }
      acked.push(name);
      if (!killed && acked.length === (CLIENTS * CREATES_PER_CLIENT) / 4) {
        killed = true;
        process.kill(workers[0], 'SIGKILL');
      }
    };
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let n = 0; n < CREATES_PER_CLIENT; n++) await createWithRetry(`workers-${c}-${n}`);
      }),
    );
    assert.ok(killed, 'a worker was killed mid-stream');

    await eventually(() => {
      const seen = watch.seen();
      const missing = acked.filter((name) => !seen.has(name));
      assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged creates not seen by the watch`);
    }, 30_000);
    watch.close();
    await watching;
    const stored = await client.request('GET', ITEMS_PATH);
    const storedNames = new Set((JSON.parse(stored.body) as { items: Array<{ metadata: { name: string } }> }).items.map((i) => i.metadata.name));
    assert.deepEqual(acked.filter((name) => !storedNames.has(name)), [], 'acknowledged creates lost');
    await eventually(() => {
      const now = server.childPids();
      assert.equal(now.length, 2, 'two workers again');
      assert.ok(!now.includes(workers[0]), 'the killed worker was replaced');
    }, 30_000);
    const seen = watch.seen();
    console.log(
      `      creates acknowledged ${acked.length} of ${CLIENTS * CREATES_PER_CLIENT} (${retried} retried after the kill), ${acked.filter((n) => storedNames.has(n)).length} found stored; ` +
        `the watch: ${acked.length} ADDED events expected, ${acked.filter((n) => seen.has(n)).length} seen (resumed ${watch.resumes}×, relisted ${watch.relists}×); the killed worker was replaced`,
    );
    assert.equal(acked.length, CLIENTS * CREATES_PER_CLIENT);
  });
});
