import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createStorageFactory } from '../../../src/framework/storage/factory';
import type { StoredObject, WatchEvent, Watcher } from '../../../src/framework/storage/interface';
import { SqliteDatabase, type SqliteDatabaseOptions } from '../../../src/framework/storage/sqlite';

const WRITER_SCRIPT = path.join(__dirname, 'sqlite-writer-process.js');

/** A second process on the same database file, in its own process group. */
class WriterProcess {
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  constructor(file: string, command: string, count: number, compactionWindow?: number) {
    const args = [WRITER_SCRIPT, file, command, String(count), ...(compactionWindow ? [String(compactionWindow)] : [])];
    this.child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The "ack <name> <rv>" lines so far, parsed. */
  get acks(): { name: string; rv: string }[] {
    return this.lines.filter((l) => l.startsWith('ack ')).map((l) => {
      const [, name, rv] = l.split(' ');
      return { name, rv };
    });
  }

  async waitFor(ready: () => boolean, what: string, waitMs = 30_000): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (!ready()) {
      const failure = this.lines.find((l) => l.startsWith('failed '));
      if (failure) assert.fail(`the writer process failed: ${failure}`);
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last lines: ${this.lines.slice(-3).join(' | ')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** Waits for a clean finish. */
  async finished(): Promise<void> {
    await this.waitFor(() => this.lines.includes('done'), 'the writer process to finish');
    assert.equal(await this.exited, 0);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.exited;
  }
}

describe('sqlite storage backend', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  const databases: SqliteDatabase[] = [];
  const writers: WriterProcess[] = [];
  const watchers: Watcher[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-sqlite-'));
    file = path.join(dir, 'state.db');
  });

  afterEach(async () => {
    for (const w of watchers.splice(0)) w.stop();
    for (const p of writers.splice(0)) await p.kill();
    for (const db of databases.splice(0)) await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function open(options: Partial<SqliteDatabaseOptions> = {}): SqliteDatabase {
    const db = SqliteDatabase.open({ file, ...options });
    databases.push(db);
    return db;
  }

  function writer(command: string, count: number, compactionWindow?: number): WriterProcess {
    const p = new WriterProcess(file, command, count, compactionWindow);
    writers.push(p);
    return p;
  }

  it('keeps the data across a reopen, and never reuses a revision, even one compacted away', async () => {
    const db = open();
    const s = db.storage();
    const kept = await s.create('/things/default/kept', thing('kept'));
    await s.create('/things/default/gone', thing('gone'));
    const deleted = await s.delete('/things/default/gone');
    await s.compact(await s.currentRevision());
    await db.close();

    const reopened = open().storage();
    assert.deepEqual(await reopened.get('/things/default/kept'), kept);
    assert.equal(await reopened.get('/things/default/gone', { ignoreNotFound: true }), null);
    assert.equal(await reopened.currentRevision(), deleted.metadata.resourceVersion);
    const next = await reopened.create('/things/default/next', thing('next'));
    assert.ok(Number(next.metadata.resourceVersion) > Number(deleted.metadata.resourceVersion));
  });

  it("delivers another process's writes, interleaved with this one's, to a watch here in revision order", async () => {
    const s = open().storage();
    const from = await s.currentRevision();
    const w = await s.watch('/things/default/', { recursive: true, resourceVersion: from });
    watchers.push(w);
    const child = writer('create', 200);
    await child.waitFor(() => child.acks.length > 0, 'the first write of the other process');
    const local: { name: string; rv: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const created = await s.create(`/things/default/local-${i}`, thing(`local-${i}`));
      local.push({ name: `local-${i}`, rv: created.metadata.resourceVersion! });
    }
    await child.finished();
    const expected = [...child.acks, ...local].sort((x, y) => Number(x.rv) - Number(y.rv));
    const events = await take(w, 400);
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.name, e.object.metadata.resourceVersion]),
      expected.map((a) => ['ADDED', a.name, a.rv]),
    );
  });

  it('shares one counter between two processes with no lost update and no "database is locked"', async () => {
    // A small window keeps compaction running in both processes during the increments.
    const s = open({ compactionWindow: 20 }).storage();
    await s.create('/things/default/counter', thing('counter'));
    const child = writer('increment', 1000, 20);
    // Start once the other process is writing, so that the two really overlap.
    while (countOf(await s.get('/things/default/counter')) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    for (let i = 0; i < 1000; i++) {
      await s.guaranteedUpdate('/things/default/counter', { tryUpdate: increment });
    }
    await child.finished();
    assert.equal(countOf(await s.get('/things/default/counter')), 2000);
  });

  it('loses no acknowledged write when the writing process is killed mid-write', async () => {
    const child = writer('forever', 16);
    await child.waitFor(() => child.acks.length >= 500, '500 acknowledged writes');
    await child.kill();
    const acknowledged = child.acks;

    const s = open().storage();
    const { items } = await s.list('/things/default/');
    const stored = new Map(items.map((o) => [o.metadata.name, o.metadata.resourceVersion]));
    for (const ack of acknowledged) assert.equal(stored.get(ack.name), ack.rv, `${ack.name} was acknowledged at ${ack.rv}`);
    const next = await s.create('/things/default/after', thing('after'));
    assert.ok(Number(next.metadata.resourceVersion) > Math.max(...acknowledged.map((a) => Number(a.rv))));
  });

  it('compacts superseded revisions by itself, keeping a window of recent ones', async () => {
    const s = open({ compactionWindow: 100 }).storage();
    const first = await s.create('/things/default/a', thing('a'));
    for (let i = 0; i < 500; i++) await s.guaranteedUpdate('/things/default/a', { tryUpdate: increment });
    const current = Number(await s.currentRevision());

    const old = await s.watch('/things/default/', { recursive: true, resourceVersion: first.metadata.resourceVersion });
    watchers.push(old);
    const [expired] = await take(old, 1);
    assert.equal(expired.type, 'ERROR');
    assert.equal(expired.object.code, 410);

    const withinWindow = String(current - 100);
    const recent = await s.watch('/things/default/', { recursive: true, resourceVersion: withinWindow });
    watchers.push(recent);
    const replayed = await take(recent, 100);
    assert.deepEqual(replayed.map((e) => Number(e.object.metadata.resourceVersion)), range(current - 99, current));
    const exact = await s.list('/things/default/', { resourceVersion: withinWindow, resourceVersionMatch: 'Exact' });
    assert.equal(exact.items[0].metadata.resourceVersion, withinWindow);
  });

  it('is built by the storage factory from a data directory, one storage per resource', async () => {
    const factory = createStorageFactory({ backend: 'sqlite', dataDir: path.join(dir, 'data') });
    try {
      const upstreams = factory.forResource({ group: 'nginx.example.com', resource: 'upstreams' });
      assert.equal(factory.forResource({ group: 'nginx.example.com', resource: 'upstreams' }), upstreams);
      const created = await upstreams.create('/nginx.example.com/upstreams/default/web', thing('web'));
      await factory.healthCheck();
      assert.ok(fs.existsSync(path.join(dir, 'data', 'state.db')));
      await factory.close();
      await assert.rejects(factory.healthCheck());

      const reopened = createStorageFactory({ backend: 'sqlite', dataDir: path.join(dir, 'data') });
      const again = reopened.forResource({ group: 'nginx.example.com', resource: 'upstreams' });
      assert.deepEqual(await again.get('/nginx.example.com/upstreams/default/web'), created);
      await reopened.close();
    } finally {
      await factory.close();
    }
    assert.throws(() => createStorageFactory({ backend: 'sqlite3' } as never), /unknown storage backend "sqlite3"; expected one of sqlite, etcd3/);
  });
});

function thing(name: string): StoredObject {
  return { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name, namespace: 'default' }, spec: { count: 0 } };
}

function increment(current: StoredObject | null): StoredObject {
  assert.ok(current);
  const next = structuredClone(current);
  (next.spec as { count: number }).count += 1;
  return next;
}

function countOf(obj: StoredObject | null): number {
  assert.ok(obj);
  return (obj.spec as { count: number }).count;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Exactly `count` events, or fails after 10 s without one. */
async function take(w: Watcher, count: number): Promise<WatchEvent[]> {
  const iterator = w[Symbol.asyncIterator]();
  const events: WatchEvent[] = [];
  while (events.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const quiet = new Promise<'quiet'>((resolve) => (timer = setTimeout(() => resolve('quiet'), 10_000)));
    const next = await Promise.race([iterator.next(), quiet]);
    clearTimeout(timer);
    if (next === 'quiet' || next.done) assert.fail(`expected ${count} events, got ${events.length}`);
    events.push(next.value);
  }
  return events;
}
