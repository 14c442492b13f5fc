/**
 * A three-member etcd cluster on loopback for tests: the members start together
 * (each needs a quorum to report healthy), each can be crashed, restarted,
 * paused and resumed on its own, and the cluster tells which member leads.
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EtcdServer, freeLoopbackPort } from './etcd';

export interface EtcdMember {
  readonly name: string;
  readonly etcd: EtcdServer;
  readonly metricsPort: number;
}

export interface EtcdCluster {
  readonly members: EtcdMember[];
  /** Every member's client URL, to give a server all of them. */
  readonly endpoints: string[];
  /** The member that leads now, asked of the members that answer. */
  leader(): Promise<EtcdMember>;
  /** The revision a member has applied, from its own answer (no quorum read). */
  revision(member: EtcdMember): Promise<number>;
  /** Stops every member and removes their data. */
  stop(): Promise<void>;
}

function getText(port: number, urlPath: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: body === undefined ? 'GET' : 'POST', timeout: 2000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function startEtcdCluster(size = 3): Promise<EtcdCluster> {
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freeLoopbackPort(), peer: await freeLoopbackPort(), metrics: await freeLoopbackPort() })));
  const names = ports.map((_, i) => `member${i}`);
  const initialCluster = names.map((name, i) => `${name}=http://127.0.0.1:${ports[i].peer}`).join(',');
  const members: EtcdMember[] = names.map((name, i) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `apiserver-kit-etcd-${name}-`));
    const { client, peer, metrics } = ports[i];
    const args = [
      `--name=${name}`,
      `--data-dir=${dataDir}`,
      `--listen-client-urls=http://127.0.0.1:${client}`,
      `--advertise-client-urls=http://127.0.0.1:${client}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=${initialCluster}`,
      '--initial-cluster-state=new',
      '--initial-cluster-token=apiserver-kit-test',
      `--listen-metrics-urls=http://127.0.0.1:${metrics}`,
      '--experimental-watch-progress-notify-interval=1000ms',
      // Short elections so that a lost leader is replaced within a test's patience.
      '--heartbeat-interval=50',
      '--election-timeout=500',
      '--logger=zap',
      '--log-level=warn',
    ];
    return { name, etcd: new EtcdServer(dataDir, args, 'http', client, metrics), metricsPort: metrics };
  });
  const stop = async () => {
    await Promise.all(members.map((m) => m.etcd.stop()));
  };
  try {
    await Promise.all(members.map((m) => m.etcd.start()));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    members,
    endpoints: members.map((m) => m.etcd.endpoint),
    async leader() {
      for (const member of members) {
        const metrics = await getText(member.metricsPort, '/metrics').catch(() => '');
        if (/^etcd_server_is_leader 1$/m.test(metrics)) return member;
      }
      throw new Error('no member leads');
    },
    async revision(member) {
      const port = Number(new URL(member.etcd.endpoint).port);
      const status = JSON.parse(await getText(port, '/v3/maintenance/status', '{}')) as { header?: { revision?: string } };
      return Number(status.header?.revision ?? 0);
    },
    stop,
  };
}
