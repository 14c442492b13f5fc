/**
 * A three-member etcd cluster behind one server given all three endpoints: the
 * leader is killed (SIGKILL) during a stream of writes and a watch, and then a
 * member is frozen (SIGSTOP) the same way. No acknowledged write is lost, the
 * watch continues from its last resourceVersion (or relists on 410) and sees
 * every acknowledged create, and the member that comes back catches up.
 */
import assert from 'node:assert/strict';
import { ITEMS_PATH, itemBody } from '../../bench/lib/bench-resource';
import { startEtcdCluster, type EtcdCluster, type EtcdMember } from '../support/etcd-cluster';
import { eventually } from '../support/kubectl';
import { ChaosClient } from './chaos-client';
import { ResumingWatch } from './resuming-watch';
import { startServerProcess, type ServerProcess } from './server-process';

const WRITERS = 4;

describe('chaos: a three-member etcd cluster loses its leader, then has a member frozen', function () {
  this.timeout(240_000);
  let cluster: EtcdCluster;
  let server: ServerProcess;
  let client: ChaosClient;

  before(async () => {
    cluster = await startEtcdCluster();
    server = await startServerProcess({ etcdServers: cluster.endpoints, flags: ['--request-timeout=5s'] });
    client = new ChaosClient(server.kubeconfig);
  });

  after(async () => {
    client?.close();
    await server?.dispose();
    await cluster?.stop();
  });

  /** Writes from WRITERS clients while `disrupt` runs; returns the names whose create was acknowledged. */
  async function writeThrough(label: string, disrupt: () => Promise<void>): Promise<{ acked: string[]; failed: number; watch: ResumingWatch }> {
    const list = await client.request('GET', ITEMS_PATH);
    const watch = new ResumingWatch(client, (JSON.parse(list.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion);
    const watching = watch.run();
    const acked: string[] = [];
    let failed = 0;
    let writing = true;
    let serial = 0;
    const writer = async () => {
      while (writing) {
        const name = `${label}-${serial++}`;
        const r = await client.request('POST', ITEMS_PATH, { body: itemBody(name), deadlineMs: 15_000 });
        if (r.status === 201) acked.push(name);
        else failed++;
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await disrupt();
    // Writes go on through the disruption until some succeed again.
    const ackedBefore = acked.length;
    await eventually(() => assert.ok(acked.length > ackedBefore + 50, 'writes succeed again'), 60_000);
    writing = false;
    await Promise.all(writers);
    await eventually(() => {
      const seen = watch.seen();
      const missing = acked.filter((name) => !seen.has(name));
      assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged creates not seen by the watch`);
    }, 30_000);
    watch.close();
    await watching;
    return { acked, failed, watch };
  }

  /** How many of the acknowledged creates the watch saw. */
  function seenOf(acked: string[], watch: ResumingWatch): number {
    const seen = watch.seen();
    return acked.filter((name) => seen.has(name)).length;
  }

  async function assertStored(acked: string[]): Promise<number> {
    const list = await client.request('GET', ITEMS_PATH);
    assert.equal(list.status, 200, list.body);
    const stored = new Set((JSON.parse(list.body) as { items: Array<{ metadata: { name: string } }> }).items.map((i) => i.metadata.name));
    const lost = acked.filter((name) => !stored.has(name));
    assert.deepEqual(lost, [], 'acknowledged creates lost');
    return stored.size;
  }

  async function catchesUp(member: EtcdMember): Promise<void> {
    await eventually(async () => {
      const others = cluster.members.filter((m) => m !== member);
      const [mine, theirs] = await Promise.all([cluster.revision(member), cluster.revision(others[0])]);
      assert.equal(mine, theirs, `${member.name} at revision ${mine}, ${others[0].name} at ${theirs}`);
    }, 30_000);
  }

  it('the leader is SIGKILLed: failover, no acknowledged write lost, the watch carries on, the member catches up', async () => {
    let killed: EtcdMember | undefined;
    const { acked, failed, watch } = await writeThrough('leaderkill', async () => {
      killed = await cluster.leader();
      await killed.etcd.crash();
    });
    const stored = await assertStored(acked);
    await killed!.etcd.restart();
    await catchesUp(killed!);
    const newLeader = await cluster.leader();
    console.log(
      `      [leader ${killed!.name} killed] creates acknowledged ${acked.length}, failed ${failed}, all ${acked.length} found (${stored} stored); ` +
        `watch: ${acked.length} creates expected, ${seenOf(acked, watch)} seen (resumed ${watch.resumes}×, relisted ${watch.relists}×); new leader ${newLeader.name}; ${killed!.name} caught up`,
    );
  });

  it('a member is frozen by SIGSTOP: no acknowledged write lost, the watch continues, the member catches up on SIGCONT', async () => {
    let frozen: EtcdMember | undefined;
    const { acked, failed, watch } = await writeThrough('frozen', async () => {
      frozen = await cluster.leader();
      frozen.etcd.pause();
    });
    try {
      const stored = await assertStored(acked);
      frozen!.etcd.resume();
      await catchesUp(frozen!);
      console.log(
        `      [${frozen!.name} (the leader) frozen] creates acknowledged ${acked.length}, failed ${failed}, all found (${stored} stored); ` +
          `watch: ${acked.length} creates expected, ${seenOf(acked, watch)} seen (resumed ${watch.resumes}×, relisted ${watch.relists}×); ${frozen!.name} caught up`,
      );
    } finally {
      frozen?.etcd.resume();
    }
  });
});
