/**
 * Storage outage: the real etcd is frozen (SIGSTOP) and, separately, killed and
 * started again while clients write, read and watch. Requests answer within the
 * request timeout with a 503/504 Status (never hang), /readyz reports the etcd
 * check failing, and once etcd is back everything works again without a server
 * restart: writes succeed, watches carry on or end so that the client can
 * resume, and a client-node informer converges to exactly the stored objects.
 */
import assert from 'node:assert/strict';
import type * as ClientNode from '@kubernetes/client-node';
import { BENCH_GROUP, ITEMS_PATH, itemBody } from '../../bench/lib/bench-resource';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { eventually } from '../support/kubectl';
import { ChaosClient, type ChaosResponse } from './chaos-client';
import { startServerProcess, type ServerProcess } from './server-process';

const importESM = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<typeof ClientNode>;

const REQUEST_TIMEOUT_MS = 3000;
/** What a client may wait beyond the request timeout before an answer counts as a hang. */
const ANSWER_SLACK_MS = 3000;

interface ItemObject extends ClientNode.KubernetesObject {
  spec?: { counter?: number };
}

/** A client-node informer over the items that restarts itself after a watch error, as client-node's examples do. */
class SelfHealingInformer {
  errors = 0;
  private stopped = false;
  readonly informer: ClientNode.Informer<ItemObject> & ClientNode.ObjectCache<ItemObject>;

  constructor(k8s: typeof ClientNode, kc: ClientNode.KubeConfig) {
    const customObjects = kc.makeApiClient(k8s.CustomObjectsApi);
    const list = () =>
      customObjects.listNamespacedCustomObject({ group: BENCH_GROUP, version: 'v1', namespace: 'default', plural: 'items' }) as Promise<
        ClientNode.KubernetesListObject<ItemObject>
      >;
    this.informer = k8s.makeInformer(kc, ITEMS_PATH, list);
    this.informer.on('error', () => {
      this.errors++;
      if (!this.stopped) setTimeout(() => void this.informer.start().catch(() => undefined), 500);
    });
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer.stop();
  }

  /** name=counter of every cached item, sorted. */
  cached(): string[] {
    return this.informer
      .list()
      .map((o) => `${o.metadata?.name}=${o.spec?.counter}@${o.metadata?.resourceVersion}`)
      .sort();
  }
}

function isStatus(body: string): boolean {
  try {
    return (JSON.parse(body) as { kind?: string }).kind === 'Status';
  } catch {
    return false;
  }
}

/** name=counter@resourceVersion of every stored item, read from etcd through the server (quorum list). */
async function storedItems(client: ChaosClient): Promise<string[]> {
  const list = await client.request('GET', ITEMS_PATH);
  assert.equal(list.status, 200, list.body);
  const items = (JSON.parse(list.body) as { items: ItemObject[] }).items;
  return items.map((o) => `${o.metadata?.name}=${o.spec?.counter}@${o.metadata?.resourceVersion}`).sort();
}

describe('chaos: etcd outage (SIGSTOP, then kill and restart) while clients write, read and watch', function () {
  this.timeout(180_000);
  let etcd: EtcdProcess;
  let server: ServerProcess;
  let client: ChaosClient;
  let k8s: typeof ClientNode;
  let informer: SelfHealingInformer | undefined;
  let serial = 0;

  before(async () => {
    k8s = await importESM('@kubernetes/client-node');
    etcd = await startEtcd();
    server = await startServerProcess({ etcdServers: [etcd.endpoint], flags: [`--request-timeout=${REQUEST_TIMEOUT_MS}ms`] });
    client = new ChaosClient(server.kubeconfig);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    for (let i = 0; i < 20; i++) assert.equal((await client.request('POST', ITEMS_PATH, { body: itemBody(`base-${i}`) })).status, 201);
    informer = new SelfHealingInformer(k8s, kc);
    await informer.start();
  });

  after(async () => {
    await informer?.stop();
    client?.close();
    await server?.dispose();
    await etcd?.stop();
  });

  /** Writes, quorum reads, cached reads and lists during the outage: each answered in time. */
  async function requestsDuringOutage(label: string): Promise<ChaosResponse[]> {
    const deadlineMs = REQUEST_TIMEOUT_MS + ANSWER_SLACK_MS;
    const writes = Array.from({ length: 5 }, () => client.request('POST', ITEMS_PATH, { body: itemBody(`outage-${serial++}`), deadlineMs }));
    const updates = Array.from({ length: 5 }, (_, i) =>
      client.request('PATCH', `${ITEMS_PATH}/base-${i}`, { body: JSON.stringify({ spec: { counter: 99 } }), contentType: 'application/merge-patch+json', deadlineMs }),
    );
    const reads = [
      client.request('GET', `${ITEMS_PATH}/base-0`, { deadlineMs }),
      client.request('GET', `${ITEMS_PATH}/base-0?resourceVersion=0`, { deadlineMs }),
      client.request('GET', ITEMS_PATH, { deadlineMs }),
      client.request('GET', `${ITEMS_PATH}?resourceVersion=0`, { deadlineMs }),
    ];
    const mutations = await Promise.all([...writes, ...updates]);
    const answers = await Promise.all(reads);
    for (const r of mutations) {
      assert.ok([503, 504].includes(r.status), `[${label}] a write during the outage: ${r.status} ${r.error ?? r.body} after ${r.elapsedMs} ms`);
      assert.ok(isStatus(r.body), `[${label}] a write failure is a Status: ${r.body}`);
    }
    for (const r of answers) {
      assert.ok([200, 503, 504].includes(r.status), `[${label}] a read during the outage: ${r.status} ${r.error ?? r.body} after ${r.elapsedMs} ms`);
      if (r.status !== 200) assert.ok(isStatus(r.body), `[${label}] a read failure is a Status: ${r.body}`);
    }
    const all = [...mutations, ...answers];
    const slowest = Math.max(...all.map((r) => r.elapsedMs));
    const codes = all.map((r) => r.status).join(',');
    const readyz = await client.request('GET', '/readyz?verbose', { deadlineMs });
    assert.notEqual(readyz.status, 0, `[${label}] /readyz answers during the outage: ${readyz.error}`);
    assert.notEqual(readyz.status, 200, `[${label}] /readyz fails during the outage`);
    assert.match(readyz.body, /\[-\]etcd failed/, `[${label}] /readyz names the etcd check: ${readyz.body}`);
    console.log(`      [${label}] ${all.length} requests answered during the outage (${codes}); slowest ${slowest} ms; /readyz ${readyz.status} in ${readyz.elapsedMs} ms`);
    return all;
  }

  /** After the outage: writes succeed again, a watch opened before it delivered or ended, the informer converges. */
  async function recovers(label: string, watch: ReturnType<ChaosClient['watch']>): Promise<void> {
    await eventually(async () => {
      const readyz = await client.request('GET', '/readyz', { deadlineMs: 5000 });
      assert.equal(readyz.status, 200, readyz.body);
    }, 60_000);
    const names = Array.from({ length: 10 }, () => `after-${serial++}`);
    for (const name of names) {
      const r = await client.request('POST', ITEMS_PATH, { body: itemBody(name, 1) });
      assert.equal(r.status, 201, `[${label}] a create after the outage: ${r.body}`);
    }
    const patched = await client.request('PATCH', `${ITEMS_PATH}/base-1`, { body: JSON.stringify({ spec: { counter: serial } }), contentType: 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.body);

    // The watch opened before the outage either delivers every later change or has ended, so the client can resume or relist.
    const outcome = await Promise.race([watch.ended, new Promise<string>((resolve) => setTimeout(() => resolve('open'), 3000))]);
    const seen = new Set(watch.events.map((e) => e.object.metadata?.name));
    if (outcome === 'open') {
      await eventually(async () => {
        for (const name of names) assert.ok(new Set(watch.events.map((e) => e.object.metadata?.name)).has(name), `[${label}] the open watch saw ${name}`);
      }, 20_000);
    }
    watch.close();
    console.log(`      [${label}] watch opened before the outage: ${outcome === 'open' ? 'stayed open and saw all 10 later creates' : `ended (${outcome}) after ${watch.events.length} events`}; seen before close ${seen.size} names`);

    await eventually(async () => assert.deepEqual(informer!.cached(), await storedItems(client)), 60_000);
    console.log(`      [${label}] informer converged to the ${informer!.cached().length} stored items (${informer!.errors} watch errors so far)`);
  }

  it('etcd frozen by SIGSTOP: 503/504 in time, /readyz fails, everything recovers on SIGCONT', async () => {
    const watch = client.watch(ITEMS_PATH);
    assert.equal(await watch.status, 200);
    etcd.pause();
    try {
      await requestsDuringOutage('SIGSTOP');
    } finally {
      etcd.resume();
    }
    await recovers('SIGSTOP', watch);
  });

  it('etcd killed and started again: 503/504 in time, /readyz fails, everything recovers', async () => {
    const watch = client.watch(ITEMS_PATH);
    assert.equal(await watch.status, 200);
    await etcd.crash();
    try {
      await requestsDuringOutage('SIGKILL');
    } finally {
      await etcd.restart();
    }
    await recovers('SIGKILL', watch);
  });
});
