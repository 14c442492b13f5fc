/**
 * `apiserver-kit serve --workers 2`, on etcd and on the SQLite file: two
 * processes share the port, connections are served by both, a watch held by one
 * worker sees writes made through the other, a worker that dies is replaced, and
 * SIGTERM stops everything with exit code 0.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { eventually, startKubectl } from '../support/kubectl';
import { RawClient } from '../support/raw-client';

const CLI = path.resolve(__dirname, '../../src/cli.js');

/** Pids of the processes whose parent is `parent`. */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: state, ppid, ...
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}

/** The socket inodes of established TCP connections whose local port is `port`. */
function establishedInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = parseInt(fields[1].split(':').pop() as string, 16);
      if (localPort === port && fields[3] === '01') inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** How many of the server's established connections each process holds. */
function connectionsHeldBy(pids: number[], port: number): Map<number, number> {
  const inodes = establishedInodes(port);
  const held = new Map<number, number>();
  for (const pid of pids) {
    let count = 0;
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode && inodes.has(inode)) count++;
      } catch {
        // closed while we looked
      }
    }
    held.set(pid, count);
  }
  return held;
}

/** One GET on a connection of its own that stays open (keep-alive) until the agent is destroyed. */
function getOnOwnConnection(kubeconfig: string, urlPath: string): Promise<{ status: number; agent: https.Agent }> {
  const config = YAML.parse(readFileSync(kubeconfig, 'utf8'));
  const data = (field: string) => Buffer.from(field, 'base64');
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 1,
    ca: data(config.clusters[0].cluster['certificate-authority-data']),
    cert: data(config.users[0].user['client-certificate-data']),
    key: data(config.users[0].user['client-key-data']),
  });
  return new Promise((resolve, reject) => {
    https
      .get(new URL(urlPath, config.clusters[0].cluster.server), { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, agent }));
      })
      .on('error', reject);
  });
}

for (const backend of ['etcd', 'sqlite'] as const) {
  describe(`e2e: serve --workers 2 on ${backend}`, function () {
    this.timeout(120_000);
    let etcd: EtcdProcess | undefined;
    let dataDir: string;
    let primary: ChildProcess;
    let output = '';
    let exited: Promise<number | null>;
    let kubeconfig: string;
    let port: number;

    before(async () => {
      if (backend === 'etcd') etcd = await startEtcd();
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'workers-'));
      const storage = etcd ? ['--etcd-servers', etcd.endpoint] : [];
      primary = spawn(process.execPath, [CLI, 'serve', '--workers', '2', '--nginx-controller=false', '--secure-port', '0', '--data-dir', dataDir, ...storage], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      primary.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      primary.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      exited = new Promise((resolve) => primary.on('close', resolve));
      await eventually(() => assert.match(output, /ready: serving on https:\/\/127\.0\.0\.1:\d+; try: kubectl --kubeconfig/), 60_000, 100);
      port = Number(/ready: serving on https:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
      kubeconfig = path.join(dataDir, 'admin.kubeconfig');
    });

    after(async () => {
      try {
        process.kill(-(primary.pid as number), 'SIGKILL');
      } catch {
        // stopped by the last test
      }
      await etcd?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('writes the certificates and the kubeconfig once, from the primary', () => {
      const primaryPid = `"pid":${primary.pid},`;
      const generated = output.split('\n').filter((line) => /generated a new certificate/.test(line));
      assert.ok(generated.length >= 3, 'CA, serving and admin certificates');
      for (const line of generated) assert.ok(line.includes(primaryPid), `generated by the primary: ${line}`);
    });

    it('starts the controllers that must run once (nginx) in one worker only', () => {
      assert.equal(output.split('\n').filter((line) => line.includes('another worker runs it')).length, 1, output);
    });

    it('serves connections from both workers', async () => {
      const workers = childrenOf(primary.pid as number);
      assert.equal(workers.length, 2);
      const requests = await Promise.all(Array.from({ length: 6 }, () => getOnOwnConnection(kubeconfig, '/api/v1/namespaces/default')));
      try {
        for (const r of requests) assert.equal(r.status, 200);
        const held = connectionsHeldBy(workers, port);
        for (const pid of workers) assert.ok((held.get(pid) ?? 0) > 0, `worker ${pid} serves some of the connections: ${JSON.stringify([...held])}`);
      } finally {
        for (const r of requests) r.agent.destroy();
      }
    });

    it('a watch held by one worker sees the writes made through the other', async () => {
      const watch = startKubectl(['get', 'namespaces', '--watch', '-o', 'name'], { kubeconfig });
      try {
        await eventually(() => assert.match(watch.output(), /namespace\/default/), 20_000);
        const client = new RawClient(kubeconfig);
        const names = ['spread-a', 'spread-b', 'spread-c', 'spread-d'];
        // A connection per request: the primary hands them to the workers in turn.
        for (const name of names) {
          const res = await client.request('POST', '/api/v1/namespaces', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) });
          assert.equal(res.status, 201, res.body);
        }
        await eventually(() => {
          for (const name of names) assert.match(watch.output(), new RegExp(`namespace/${name}`));
        }, 20_000);
      } finally {
        watch.stop();
      }
    });

    it('replaces a worker that dies', async () => {
      const [victim, survivor] = childrenOf(primary.pid as number);
      process.kill(victim, 'SIGKILL');
      let replacement = 0;
      await eventually(() => {
        const now = childrenOf(primary.pid as number);
        assert.equal(now.length, 2);
        assert.ok(now.includes(survivor));
        replacement = now.find((pid) => pid !== survivor) as number;
        assert.notEqual(replacement, victim);
      }, 30_000);
      await eventually(async () => {
        const requests = await Promise.all(Array.from({ length: 4 }, () => getOnOwnConnection(kubeconfig, '/api/v1/namespaces/default')));
        try {
          for (const r of requests) assert.equal(r.status, 200);
          assert.ok((connectionsHeldBy([replacement], port).get(replacement) ?? 0) > 0, 'the new worker serves');
        } finally {
          for (const r of requests) r.agent.destroy();
        }
      }, 30_000, 500);
      assert.match(output, /worker exited; starting another/);
    });

    it('stops every worker gracefully on SIGTERM and exits 0', async () => {
      const workers = childrenOf(primary.pid as number);
      process.kill(primary.pid as number, 'SIGTERM');
      assert.equal(await exited, 0, output.split('\n').slice(-30).join('\n'));
      for (const pid of workers) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} is gone`);
      assert.equal(output.match(/"signal":"SIGTERM","msg":"shutting down"/g)?.length, 2, 'both workers shut down gracefully');
    });
  });
}
