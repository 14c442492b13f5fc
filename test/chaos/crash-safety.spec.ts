/**
 * Crash safety: the server is SIGKILLed while 1,000 creates and updates are in
 * flight. After a restart on the same storage every acknowledged (2xx) write is
 * there with its acknowledged content, and nothing half-written is visible:
 * every stored object is one a client sent, whole.
 */
import assert from 'node:assert/strict';
import { ITEMS_PATH, itemBody } from '../../bench/lib/bench-resource';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { ChaosClient } from './chaos-client';
import { startServerProcess, type ServerProcess } from './server-process';

const OBJECTS = 500;
/** Each object is created and then patched once: up to 1,000 writes. */
const WRITES = OBJECTS * 2;
/** The kill comes once this many writes were acknowledged, so that hundreds are still in flight. */
const KILL_AFTER_ACKS = 350;

interface ObjectRecord {
  createAcked: boolean;
  /** Highest counter a client sent / got a 2xx for (-1: none). */
  sentCounter: number;
  ackedCounter: number;
}

interface StoredItem {
  metadata: { name: string };
  spec?: { data?: string; counter?: number };
}

/** Creates OBJECTS items and patches each once, all at once; SIGKILLs the server after KILL_AFTER_ACKS acknowledgements. */
async function writeUntilKilled(server: ServerProcess, client: ChaosClient): Promise<Map<string, ObjectRecord>> {
  const records = new Map<string, ObjectRecord>();
  let acks = 0;
  let killed: Promise<void> | undefined;
  const acknowledged = () => {
    acks++;
    if (acks === KILL_AFTER_ACKS) killed = server.kill();
  };
  const writeOne = async (name: string) => {
    const record: ObjectRecord = { createAcked: false, sentCounter: 0, ackedCounter: -1 };
    records.set(name, record);
    const created = await client.request('POST', ITEMS_PATH, { body: itemBody(name, 0) });
    if (created.status !== 201) return;
    record.createAcked = true;
    record.ackedCounter = 0;
    acknowledged();
    record.sentCounter = 1;
    const patched = await client.request('PATCH', `${ITEMS_PATH}/${name}`, {
      body: JSON.stringify({ spec: { counter: 1 } }),
      contentType: 'application/merge-patch+json',
    });
    if (patched.status === 200) {
      record.ackedCounter = 1;
      acknowledged();
    }
  };
  await Promise.all(Array.from({ length: OBJECTS }, (_, i) => writeOne(`crash-${i}`)));
  assert.ok(killed, `the server was killed mid-way (${acks} of ${WRITES} writes acknowledged before the end)`);
  await killed;
  return records;
}

function verify(records: Map<string, ObjectRecord>, stored: StoredItem[], label: string): void {
  const byName = new Map(stored.map((item) => [item.metadata.name, item]));
  const all = [...records.values()];
  const sentWrites = all.reduce((n, r) => n + 1 + r.sentCounter, 0);
  const acknowledgedWrites = all.reduce((n, r) => n + (r.createAcked ? 1 : 0) + (r.ackedCounter === 1 ? 1 : 0), 0);
  let found = 0;
  for (const [name, record] of records) {
    const item = byName.get(name);
    if (!record.createAcked) continue;
    assert.ok(item, `${name}: its create was acknowledged but it is gone`);
    const counter = item.spec?.counter ?? -1;
    assert.ok(counter >= record.ackedCounter && counter <= record.sentCounter, `${name}: counter ${counter}, acknowledged ${record.ackedCounter}, sent up to ${record.sentCounter}`);
    found += 1 + (record.ackedCounter === 1 ? 1 : 0);
  }
  for (const item of stored) {
    const record = records.get(item.metadata.name);
    assert.ok(record, `${item.metadata.name} is stored but no client wrote it`);
    assert.equal(item.spec?.data, 'x'.repeat(900), `${item.metadata.name}: its data is whole`);
    assert.ok((item.spec?.counter ?? -1) <= record.sentCounter, `${item.metadata.name}: a counter no client sent`);
  }
  console.log(
    `      [${label}] writes sent ${sentWrites}, acknowledged ${acknowledgedWrites}, acknowledged found ${found}; ` +
      `objects stored ${stored.length} (${stored.length - all.filter((r) => r.createAcked).length} created in flight)`,
  );
}

for (const backend of ['sqlite', 'etcd'] as const) {
  describe(`chaos: crash safety on ${backend} (SIGKILL during 1,000 writes)`, function () {
    this.timeout(180_000);
    let etcd: EtcdProcess | undefined;
    let server: ServerProcess | undefined;
    let client: ChaosClient | undefined;

    before(async () => {
      if (backend === 'etcd') etcd = await startEtcd();
      server = await startServerProcess({ etcdServers: etcd ? [etcd.endpoint] : undefined, flags: ['--max-mutating-requests-inflight', '0'] });
    });

    after(async () => {
      client?.close();
      await server?.dispose();
      await etcd?.stop();
    });

    it('every acknowledged write survives and nothing half-written is visible', async () => {
      client = new ChaosClient(server!.kubeconfig, 256);
      const records = await writeUntilKilled(server!, client);
      client.close();

      await server!.start();
      client = new ChaosClient(server!.kubeconfig);
      const list = await client.request('GET', ITEMS_PATH);
      assert.equal(list.status, 200, list.body);
      verify(records, (JSON.parse(list.body) as { items: StoredItem[] }).items, backend);
    });
  });
}
