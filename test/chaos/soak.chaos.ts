/**
 * Soak: 10 minutes (SOAK_DURATION_MS to change it) of mixed load from 50
 * clients (create, update, patch, delete, get, list, and watches read by 5 of
 * them) on SQLite, with the server's RSS sampled every 10 s. After a warm-up
 * third, RSS shows no growth trend, and the SQLite file and WAL stay bounded.
 * The RSS plot is saved as an SVG whose path is printed.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ITEMS_PATH, itemBody } from '../../bench/lib/bench-resource';
import { ChaosClient, type WatchStream } from './chaos-client';
import { startServerProcess, type ServerProcess } from './server-process';

const DURATION_MS = Number(process.env.SOAK_DURATION_MS ?? 600_000);
const SAMPLE_MS = Math.min(10_000, DURATION_MS / 12);
const CLIENTS = 50;
const WATCHERS = 5;
/** Names cycle through a fixed pool so that the stored set stays the same size. */
const POOL = 500;
const MiB = 1024 * 1024;

interface Sample {
  atMs: number;
  rss: number;
}

/** Least-squares slope in bytes per ms. */
function slope(samples: Sample[]): number {
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.atMs, 0) / n;
  const my = samples.reduce((s, p) => s + p.rss, 0) / n;
  const num = samples.reduce((s, p) => s + (p.atMs - mx) * (p.rss - my), 0);
  const den = samples.reduce((s, p) => s + (p.atMs - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

function plot(samples: Sample[], file: string): void {
  const width = 800;
  const height = 300;
  const maxT = Math.max(...samples.map((s) => s.atMs), 1);
  const maxR = Math.max(...samples.map((s) => s.rss), 1) * 1.1;
  const points = samples.map((s) => `${((s.atMs / maxT) * (width - 60) + 50).toFixed(1)},${(height - 30 - (s.rss / maxR) * (height - 50)).toFixed(1)}`).join(' ');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<text x="50" y="15">server RSS during the soak (max ${(maxR / 1.1 / MiB).toFixed(0)} MiB over ${(maxT / 1000).toFixed(0)} s)</text>
<line x1="50" y1="${height - 30}" x2="${width - 10}" y2="${height - 30}" stroke="black"/><line x1="50" y1="20" x2="50" y2="${height - 30}" stroke="black"/>
<text x="5" y="25">${(maxR / MiB).toFixed(0)} MiB</text><text x="${width - 60}" y="${height - 10}">${(maxT / 1000).toFixed(0)} s</text>
<polyline fill="none" stroke="steelblue" stroke-width="2" points="${points}"/>
</svg>
`;
  writeFileSync(file, svg);
}

function sqliteBytes(dataDir: string): { db: number; wal: number } {
  let db = 0;
  let wal = 0;
  for (const name of readdirSync(dataDir)) {
    const size = statSync(path.join(dataDir, name)).size;
    if (name.endsWith('-wal')) wal += size;
    else if (/\.(db|sqlite)$/.test(name)) db += size;
  }
  return { db, wal };
}

describe('chaos: soak under mixed load', function () {
  this.timeout(DURATION_MS + 180_000);
  let server: ServerProcess;
  let client: ChaosClient;
  const watches: WatchStream[] = [];

  before(async () => {
    server = await startServerProcess();
    client = new ChaosClient(server.kubeconfig, CLIENTS);
  });

  after(async () => {
    for (const watch of watches) watch.close();
    client?.close();
    await server?.dispose();
  });

  it('RSS shows no growth trend after warm-up; the SQLite file and WAL stay bounded', async () => {
    const started = Date.now();
    const samples: Sample[] = [{ atMs: 0, rss: server.rss() }];
    const sampler = setInterval(() => samples.push({ atMs: Date.now() - started, rss: server.rss() }), SAMPLE_MS);
    const counts = new Map<string, number>();
    const count = (what: string, status: number) => counts.set(`${what} ${status}`, (counts.get(`${what} ${status}`) ?? 0) + 1);
    let serverErrors = 0;

    const worker = async (id: number) => {
      let n = 0;
      while (Date.now() - started < DURATION_MS) {
        const name = `soak-${(id * 7919 + n++) % POOL}`;
        const item = `${ITEMS_PATH}/${name}`;
        const pick = n % 6;
        let r;
        if (pick === 0) r = await client.request('POST', ITEMS_PATH, { body: itemBody(name, n) });
        else if (pick === 1) r = await client.request('PATCH', item, { body: JSON.stringify({ spec: { counter: n } }), contentType: 'application/merge-patch+json' });
        else if (pick === 2) r = await client.request('PUT', item, { body: itemBody(name, n) });
        else if (pick === 3) r = await client.request('DELETE', item);
        else if (pick === 4) r = await client.request('GET', item);
        else r = await client.request('GET', `${ITEMS_PATH}?limit=50`);
        count(['create', 'patch', 'update', 'delete', 'get', 'list'][pick], r.status);
        if (r.status === 0 || r.status >= 500) serverErrors++;
      }
    };
    // Watchers that reopen their watch every 30 s, as informers do.
    const watcher = async () => {
      while (Date.now() - started < DURATION_MS) {
        const watch = client.watch(`${ITEMS_PATH}?timeoutSeconds=30`);
        watches.push(watch);
        await watch.ended;
        watches.splice(watches.indexOf(watch), 1);
      }
    };
    await Promise.all([...Array.from({ length: CLIENTS - WATCHERS }, (_, i) => worker(i)), ...Array.from({ length: WATCHERS }, watcher)]);
    clearInterval(sampler);
    samples.push({ atMs: Date.now() - started, rss: server.rss() });

    const svg = path.join(os.tmpdir(), `apiserver-kit-soak-rss-${Date.now()}.svg`);
    plot(samples, svg);
    const afterWarmUp = samples.filter((s) => s.atMs >= DURATION_MS / 3);
    const growthOverWindow = slope(afterWarmUp) * (afterWarmUp[afterWarmUp.length - 1].atMs - afterWarmUp[0].atMs);
    const maxRSS = Math.max(...samples.map((s) => s.rss));
    const files = sqliteBytes(server.dataDir);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(
      `      ${total} requests in ${(DURATION_MS / 1000).toFixed(0)} s from ${CLIENTS} clients (${serverErrors} 5xx or dropped); ` +
        `RSS ${samples.map((s) => (s.rss / MiB).toFixed(0)).join(' ')} MiB; max ${(maxRSS / MiB).toFixed(0)} MiB; ` +
        `trend after warm-up ${(growthOverWindow / MiB).toFixed(1)} MiB; SQLite ${(files.db / MiB).toFixed(1)} MiB, WAL ${(files.wal / MiB).toFixed(1)} MiB; plot ${svg}`,
    );
    assert.equal(serverErrors, 0, 'no 5xx and no dropped connection under load');
    assert.ok(growthOverWindow < 32 * MiB, `RSS grew ${(growthOverWindow / MiB).toFixed(1)} MiB after warm-up`);
    assert.ok(files.wal < 64 * MiB, `WAL is ${(files.wal / MiB).toFixed(1)} MiB`);
    assert.ok(files.db < 256 * MiB, `SQLite file is ${(files.db / MiB).toFixed(1)} MiB`);
  });
});
