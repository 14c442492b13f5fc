import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoredObject } from '../../../src/framework/storage/interface';
import { SqliteDatabase } from '../../../src/framework/storage/sqlite';

const KEYS = 2_000;
const REVISIONS = 200_000;
const SAMPLE_EVERY = 10_000;
/** Revisions written before the files are expected to have reached their steady size. */
const WARM_UP = 20_000;

describe('sqlite storage soak', function () {
  this.timeout(180_000);
  let dir: string;
  let db: SqliteDatabase | undefined;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-sqlite-soak-'));
  });

  after(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps the database file and the WAL bounded over ${REVISIONS.toLocaleString('en')} revisions to ${KEYS.toLocaleString('en')} keys`, async () => {
    const file = path.join(dir, 'state.db');
    db = SqliteDatabase.open({ file });
    const s = db.storage();
    const sizes: { revisions: number; db: number; wal: number }[] = [];
    const sample = (revisions: number) => sizes.push({ revisions, db: sizeOf(file), wal: sizeOf(`${file}-wal`) });

    let written = 0;
    const writer = async () => {
      while (written < REVISIONS) {
        const n = written++;
        const key = `/things/default/${String(n % KEYS).padStart(4, '0')}`;
        if (n < KEYS) await s.create(key, thing(n));
        else await s.guaranteedUpdate(key, { tryUpdate: (cur) => bump(cur) });
        if ((n + 1) % SAMPLE_EVERY === 0) sample(n + 1);
      }
    };
    await Promise.all(Array.from({ length: 64 }, writer));

    const counted = await s.list('/things/default/');
    assert.equal(counted.items.length, KEYS);
    assert.equal(counted.items.reduce((sum, o) => sum + (o.spec as { count: number }).count, 0), REVISIONS - KEYS);

    const steady = sizes.filter((x) => x.revisions <= WARM_UP);
    const later = sizes.filter((x) => x.revisions > WARM_UP);
    const bound = (pick: (x: (typeof sizes)[number]) => number) => Math.max(...steady.map(pick)) * 1.25;
    const report = sizes.map((x) => `${x.revisions}: db ${mib(x.db)} MiB, wal ${mib(x.wal)} MiB`).join('\n');
    for (const x of later) {
      assert.ok(x.db <= bound((y) => y.db), `the database file grew past its warm-up size:\n${report}`);
      assert.ok(x.wal <= Math.max(bound((y) => y.wal), 16 * 1024 * 1024), `the WAL grew past its warm-up size:\n${report}`);
    }
  });
});

function thing(n: number): StoredObject {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Thing',
    metadata: { name: String(n).padStart(4, '0'), namespace: 'default', labels: { app: 'soak', shard: String(n % 16) } },
    spec: { count: 0, payload: 'x'.repeat(400) },
  };
}

function bump(cur: StoredObject | null): StoredObject {
  assert.ok(cur);
  const next = structuredClone(cur);
  (next.spec as { count: number }).count += 1;
  return next;
}

function sizeOf(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).size : 0;
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
