/**
 * The two scenarios over 100,000 stored objects: memory the cache holds against
 * the raw JSON bytes of the objects, and the time from spawning the server to
 * /readyz ok with the objects cached, against an empty server's start plus
 * reading the same rows raw from the SQLite file. Prints its progress.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { objectKey, SqliteDatabase, SQLITE_DATABASE_FILE } from '../src/index';
import { BENCH_GROUP, itemBody } from './lib/bench-resource';
import { startChild, type Child } from './lib/children';
import { readCredentials } from './lib/credentials';
import { agent, request } from './lib/https-requests';
import { makeFigure, type Figure } from './lib/report';
import { median } from './lib/stats';

const OBJECTS = 100_000;
const REPETITIONS = 3;

/** Writes the objects straight into a database file, as the server would store them. */
async function populate(dataDir: string): Promise<number> {
  const db = SqliteDatabase.open({ file: path.join(dataDir, SQLITE_DATABASE_FILE) });
  const storage = db.storage();
  let bytes = 0;
  for (let start = 0; start < OBJECTS; start += 1000) {
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        const name = `s-${start + i}`;
        const obj = JSON.parse(itemBody(name));
        obj.metadata = { ...obj.metadata, uid: `00000000-0000-4000-8000-${String(start + i).padStart(12, '0')}`, creationTimestamp: '2026-01-01T00:00:00Z', generation: 1 };
        bytes += Buffer.byteLength(JSON.stringify(obj));
        return storage.create(objectKey({ group: BENCH_GROUP, resource: 'items' }, 'default', name), obj);
      }),
    );
  }
  await db.close();
  return bytes;
}

/** Waits until resident memory stops growing (the cache has filled). */
async function settledRSS(child: Child): Promise<number> {
  let last = child.rss();
  for (let stable = 0; stable < 4; ) {
    await new Promise((r) => setTimeout(r, 500));
    const now = child.rss();
    stable = Math.abs(now - last) < 2 * 2 ** 20 ? stable + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * From spawning a server to its /readyz answering ok and its watch cache of the
 * stored objects being populated (it serves from storage until then).
 */
async function startAndTime(dataDir: string, certDir: string): Promise<{ child: Child; ms: number }> {
  const started = performance.now();
  const child = await startChild('server-child.js', ['--secure-port', '0', '--data-dir', dataDir, '--cert-dir', certDir, '--log-level', 'info']);
  const populated = child.waitForOutput(/"resource":"items","msg":"watch cache populated"/);
  const c = readCredentials(child.info.kubeconfig);
  const a = agent(c, 1);
  while ((await request(c, a, 'GET', '/readyz')).status !== 200) await new Promise((r) => setTimeout(r, 20));
  const ready = performance.now();
  return { child, ms: Math.max(ready, await populated) - started };
}

function readRaw(file: string): number {
  const started = performance.now();
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT log.value AS value FROM current JOIN log ON log.id = current.id').all() as { value: string }[];
  for (const row of rows) JSON.parse(row.value);
  db.close();
  if (rows.length < OBJECTS) throw new Error(`read ${rows.length} rows`);
  return performance.now() - started;
}

const progress = (message: string) => process.stdout.write(`startup: ${message}\n`);

export async function startupScenarios(scratch: string): Promise<Figure[]> {
  const certDir = path.join(scratch, 'startup-pki');
  const empty = mkdtempSync(path.join(scratch, 'empty-'));
  // The first start generates the certificates every later start reuses.
  await (await startAndTime(empty, certDir)).child.stop();
  const emptyStarts: number[] = [];
  let baselineRSS = 0;
  for (let i = 0; i < REPETITIONS; i++) {
    const run = await startAndTime(empty, certDir);
    emptyStarts.push(run.ms);
    if (i === 0) baselineRSS = await settledRSS(run.child);
    await run.child.stop();
  }
  progress(`empty server: ready in ${median(emptyStarts).toFixed(0)} ms, RSS ${(baselineRSS / 2 ** 20).toFixed(0)} MiB`);

  const full = mkdtempSync(path.join(scratch, 'full-'));
  const populating = performance.now();
  const rawBytes = await populate(full);
  progress(`stored ${OBJECTS} objects (${(rawBytes / 2 ** 20).toFixed(0)} MiB of JSON) in ${((performance.now() - populating) / 1000).toFixed(1)} s`);
  const starts: number[] = [];
  const growth: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const run = await startAndTime(full, certDir);
    starts.push(run.ms);
    growth.push((await settledRSS(run.child)) - baselineRSS);
    progress(`start ${i + 1}: ready and cached in ${run.ms.toFixed(0)} ms, RSS growth ${(growth[i] / 2 ** 20).toFixed(0)} MiB`);
    await run.child.stop();
  }
  // The limit for a server process that must hold the objects: starting empty, plus reading them raw.
  const reference = emptyStarts.map((ms) => ms + readRaw(path.join(full, SQLITE_DATABASE_FILE)));
  const mib = (n: number) => n / 2 ** 20;
  return [
    makeFigure('memory, 100,000 x 1 KiB cached', 'MiB', growth.map(mib), [mib(rawBytes)], 'raw JSON bytes', { op: '<=', value: 2.5 }),
    makeFigure('start-up, 100,000 stored, to /readyz and cached', 'ms', starts, reference, 'empty start + raw SQLite read + JSON.parse', { op: '<=', value: 2.0 }),
  ];
}
