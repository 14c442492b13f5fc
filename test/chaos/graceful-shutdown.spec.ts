/**
 * Graceful shutdown on SIGTERM: the server stops accepting connections, lets a
 * request already in flight finish, ends watches cleanly, writes the audit
 * events of both to its log, closes its storage and exits 0; a request that does
 * not finish within --shutdown-timeout is cut off, still audited, and the server
 * still exits 0 in time. On the embedded SQLite store and on etcd.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { ITEMS_PATH, itemBody } from '../../bench/lib/bench-resource';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { eventually } from '../support/kubectl';
import { ChaosClient } from './chaos-client';
import { startServerProcess, type ServerProcess } from './server-process';

const SHUTDOWN_TIMEOUT_MS = 4000;

interface LoggedEvent {
  stage: string;
  verb: string;
  objectRef?: { resource?: string; name?: string };
  responseStatus?: { code?: number };
}

/** Whether SQLite was closed cleanly: the last connection to close checkpoints the write-ahead log and removes it. */
function storageClosed(dataDir: string): boolean {
  return !existsSync(path.join(dataDir, 'state.db-wal')) && existsSync(path.join(dataDir, 'state.db'));
}

/** The ResponseComplete audit events in the log file for `verb` on items (named `name`, if given). */
function completedEvents(auditLogPath: string, verb: string, name?: string): LoggedEvent[] {
  const events = readFileSync(auditLogPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LoggedEvent);
  return events.filter((e) => e.stage === 'ResponseComplete' && e.verb === verb && e.objectRef?.resource === 'items' && (name === undefined || e.objectRef.name === name));
}

/** A create whose body is sent in two halves; the test decides when the second half goes. */
function halfSentCreate(client: ChaosClient, name: string): { finish(): void; response: Promise<{ status: number; body: string } | Error> } {
  const body = itemBody(name);
  const half = Math.floor(body.length / 2);
  let req!: ReturnType<typeof https.request>;
  const response = new Promise<{ status: number; body: string } | Error>((resolve) => {
    req = https.request(
      new URL(ITEMS_PATH, client.server),
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'application/json' }, agent: false, ...client.credentials },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', resolve);
      },
    );
    req.on('error', resolve);
    req.flushHeaders();
    req.write(body.slice(0, half));
  });
  return { finish: () => req.end(body.slice(half)), response };
}

/** Whether a new TLS connection to the server is refused. */
function connectionRefused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

for (const backend of ['sqlite', 'etcd'] as const) {
  describe(`chaos: graceful shutdown on SIGTERM, ${backend}`, function () {
    this.timeout(120_000);
    let etcd: EtcdProcess | undefined;
    let server: ServerProcess;
    let client: ChaosClient | undefined;
    let auditLogPath: string;

    before(async () => {
      if (backend === 'etcd') etcd = await startEtcd();
    });

    after(async () => {
      await etcd?.stop();
    });

    /** SQLite closed cleanly: the last connection to close checkpoints the write-ahead log and removes it. etcd keeps nothing on our side to look at. */
    const storageClosedCleanly = () => backend === 'etcd' || storageClosed(server.dataDir);

    beforeEach(async () => {
      auditLogPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-audit-')), 'audit.log');
      const flags = [`--shutdown-timeout=${SHUTDOWN_TIMEOUT_MS}ms`, `--audit-log-path=${auditLogPath}`];
      server = await startServerProcess({ flags, etcdServers: etcd && [etcd.endpoint], etcdPrefix: `/graceful-${Date.now()}` });
      client = new ChaosClient(server.kubeconfig);
    });

    afterEach(async () => {
      client?.close();
      await server?.dispose();
      rmSync(path.dirname(auditLogPath), { recursive: true, force: true });
    });

    it('stops accepting, finishes the request in flight, ends watches, closes storage, exits 0', async () => {
      const watch = client!.watch(ITEMS_PATH);
      assert.equal(await watch.status, 200);
      const inFlight = halfSentCreate(client!, 'in-flight');
      // Let the server start reading the request before the signal comes.
      await new Promise((resolve) => setTimeout(resolve, 300));
      client!.close();

      const signalled = Date.now();
      server.signal('SIGTERM');
      await eventually(async () => assert.ok(await connectionRefused(server.url), 'new connections are refused'), 3000);
      const watchEnd = await watch.ended;
      assert.equal(watchEnd, 'end', 'the watch ended cleanly (chunked stream terminated)');

      inFlight.finish();
      const answer = await inFlight.response;
      assert.ok(!(answer instanceof Error), `the in-flight create was answered: ${answer instanceof Error ? answer.message : ''}`);
      assert.equal(answer.status, 201, answer.body);

      const exit = await server.waitForExit();
      assert.deepEqual(exit, { code: 0, signal: null }, server.stderr);
      const audited = completedEvents(auditLogPath, 'create', 'in-flight');
      assert.deepEqual(
        audited.map((e) => e.responseStatus?.code),
        [201],
        'the audit log holds the completion of the create in flight',
      );
      assert.equal(completedEvents(auditLogPath, 'watch').length, 1, 'the audit log holds the end of the watch');
      assert.ok(storageClosedCleanly(), 'SQLite was closed (its write-ahead log checkpointed and removed)');
      console.log(
        `      in-flight create answered ${answer.status} and audited (${audited.length} ResponseComplete event); watch ended '${watchEnd}' and audited; ${backend === 'sqlite' ? 'SQLite closed; ' : ''}exit code ${exit.code} ${Date.now() - signalled} ms after SIGTERM`,
      );

      // The write made during shutdown is in the storage the server closed.
      await server.start();
      client = new ChaosClient(server.kubeconfig);
      const got = await client.request('GET', `${ITEMS_PATH}/in-flight`);
      assert.equal(got.status, 200, got.body);
    });

    it('cuts off a request that does not finish within --shutdown-timeout and still exits 0', async () => {
      const stuck = halfSentCreate(client!, 'stuck');
      await new Promise((resolve) => setTimeout(resolve, 300));
      client!.close();
      const signalled = Date.now();
      server.signal('SIGTERM');
      const exit = await server.waitForExit();
      const tookMs = Date.now() - signalled;
      assert.deepEqual(exit, { code: 0, signal: null }, server.stderr);
      assert.ok(tookMs < SHUTDOWN_TIMEOUT_MS + 5000, `exited ${tookMs} ms after SIGTERM`);
      const answer = await stuck.response;
      assert.ok(answer instanceof Error || answer.status >= 500, 'the stuck request got no success');
      const audited = completedEvents(auditLogPath, 'create');
      assert.equal(audited.length, 1, 'the audit log holds the completion of the request cut off');
      assert.equal(audited[0].responseStatus?.code, 400, 'a body cut short is a failed request, not a server error');
      assert.ok(storageClosedCleanly(), 'SQLite was closed (its write-ahead log checkpointed and removed)');
      console.log(
        `      stuck request: ${answer instanceof Error ? answer.message : answer.status}, audited with ${audited[0].responseStatus?.code}; ${backend === 'sqlite' ? 'SQLite closed; ' : ''}exit code ${exit.code} ${tookMs} ms after SIGTERM (shutdown timeout ${SHUTDOWN_TIMEOUT_MS} ms)`,
      );
    });
  });
}

describe('chaos: SIGTERM with --shutdown-delay-duration', function () {
  this.timeout(60_000);
  const DELAY_MS = 3000;
  let server: ServerProcess;
  const clients: ChaosClient[] = [];

  before(async () => {
    server = await startServerProcess({ flags: [`--shutdown-delay-duration=${DELAY_MS}ms`] });
  });

  after(async () => {
    for (const client of clients) client.close();
    await server?.dispose();
  });

  /** A client of its own: its requests go on new connections. */
  function newClient(): ChaosClient {
    const client = new ChaosClient(server.kubeconfig);
    clients.push(client);
    return client;
  }

  it('serves as usual with /readyz failing until the delay has passed, then stops and exits 0', async () => {
    const watch = newClient().watch(ITEMS_PATH);
    assert.equal(await watch.status, 200);
    const signalled = Date.now();
    server.signal('SIGTERM');

    const during = newClient();
    await eventually(async () => assert.equal((await during.request('GET', '/readyz?verbose')).status, 500), 1000, 50);
    const readyz = await during.request('GET', '/readyz?verbose');
    assert.match(readyz.body, /\[-\]shutdown failed/);
    const livez = await during.request('GET', '/livez');
    assert.equal(livez.status, 200, 'still alive');
    const created = await newClient().request('POST', ITEMS_PATH, { body: itemBody('during-delay') });
    assert.equal(created.status, 201, `a create on a new connection during the delay: ${created.error ?? created.body}`);
    await eventually(() => assert.ok(watch.events.some((e) => e.object.metadata?.name === 'during-delay'), 'the open watch saw it'), 2000);
    const servedUntil = Date.now() - signalled;
    assert.ok(servedUntil < DELAY_MS, `all of this within the delay (${servedUntil} ms)`);

    await eventually(async () => assert.ok(await connectionRefused(server.url), 'new connections are refused'), DELAY_MS + 3000, 100);
    const refusedAfter = Date.now() - signalled;
    const watchEnd = await watch.ended;
    assert.equal(watchEnd, 'end', 'the watch ended cleanly');
    const exit = await server.waitForExit();
    assert.deepEqual(exit, { code: 0, signal: null }, server.stderr);
    assert.ok(refusedAfter >= DELAY_MS, `connections refused ${refusedAfter} ms after SIGTERM, before the ${DELAY_MS} ms delay ended`);
    console.log(
      `      during the ${DELAY_MS} ms delay: /readyz ${readyz.status}, /livez ${livez.status}, a create on a new connection ${created.status} and seen by the open watch (all within ${servedUntil} ms); ` +
        `new connections refused ${refusedAfter} ms after SIGTERM; watch ended '${watchEnd}'; exit code ${exit.code} ${Date.now() - signalled} ms after SIGTERM`,
    );
  });
});

