/**
 * 5,000 idle TLS connections (handshake done, no request) leave the server
 * serving requests with bounded memory. Long (about a minute on 2 cores), so
 * it runs with `npm run test:chaos` only.
 */
import assert from 'node:assert/strict';
import type tls from 'node:tls';
import { ITEMS_PATH } from '../../bench/lib/bench-resource';
import { ChaosClient } from './chaos-client';
import { startServerProcess, type ServerProcess } from './server-process';

const MiB = 1024 * 1024;

describe('chaos: 5,000 idle connections', function () {
  this.timeout(300_000);
  let server: ServerProcess;
  let client: ChaosClient;

  before(async () => {
    server = await startServerProcess();
    client = new ChaosClient(server.kubeconfig);
  });

  after(async () => {
    client?.close();
    await server?.dispose();
  });

  it('5,000 idle connections leave the server serving with bounded memory', async () => {
    const CONNECTIONS = 5000;
    const before = server.rss();
    const sockets: tls.TLSSocket[] = [];
    let closedByServer = 0;
    // Every connection resumes the first one's TLS session, so that the test spends its time holding connections, not on handshakes.
    const first = await client.connectTLS();
    const session = await new Promise<Buffer>((resolve) => first.once('session', resolve));
    sockets.push(first);
    try {
      while (sockets.length < CONNECTIONS) {
        const batch = await Promise.all(Array.from({ length: Math.min(250, CONNECTIONS - sockets.length) }, () => client.connectTLS(session)));
        for (const socket of batch) {
          socket.once('close', () => closedByServer++);
          sockets.push(socket);
        }
      }
      const held = server.rss();
      const get = await client.request('GET', `${ITEMS_PATH}?limit=1`, { deadlineMs: 10_000 });
      assert.equal(get.status, 200, 'a request is served while 5,000 connections are open');
      const growthMiB = (held - before) / MiB;
      console.log(`      ${CONNECTIONS} idle TLS connections: server RSS ${(before / MiB).toFixed(0)} MiB -> ${(held / MiB).toFixed(0)} MiB (+${growthMiB.toFixed(0)} MiB, ${((held - before) / CONNECTIONS / 1024).toFixed(1)} KiB each); ${closedByServer} closed by the server meanwhile`);
      assert.ok(growthMiB < 400, `5,000 idle connections cost ${growthMiB.toFixed(0)} MiB`);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});
