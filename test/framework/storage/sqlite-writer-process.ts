/**
 * A second server process on a shared SQLite file, for the cross-process tests.
 * Usage: node sqlite-writer-process.js <file> <command> <count> [compactionWindow]
 *   create <count>     creates /things/default/child-<i>, printing "ack <name> <rv>" after each
 *   forever <count>    the same with <count> writes in flight, until killed
 *   increment <count>  increments /things/default/counter <count> times, 4 at a time
 * It prints "done" when finished; any failure is printed and exits with status 1.
 */
import { SqliteDatabase } from '../../../src/framework/storage/sqlite';
import type { StorageInterface, StoredObject } from '../../../src/framework/storage/interface';

async function main(): Promise<void> {
  const [file, command, countArg, windowArg] = process.argv.slice(2);
  const count = Number(countArg);
  const db = SqliteDatabase.open({ file, compactionWindow: windowArg ? Number(windowArg) : undefined });
  const storage = db.storage();
  switch (command) {
    case 'create':
      for (let i = 0; i < count; i++) await createAndAck(storage, `child-${i}`);
      break;
    case 'forever': {
      let next = 0;
      const writer = async () => {
        for (;;) await createAndAck(storage, `child-${next++}`);
      };
      await Promise.all(Array.from({ length: count }, writer));
      break;
    }
    case 'increment': {
      let left = count;
      const incrementer = async () => {
        while (left-- > 0) await storage.guaranteedUpdate('/things/default/counter', { tryUpdate: increment });
      };
      await Promise.all(Array.from({ length: 4 }, incrementer));
      break;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
  await db.close();
  process.stdout.write('done\n');
}

async function createAndAck(storage: StorageInterface, name: string): Promise<void> {
  const created = await storage.create(`/things/default/${name}`, {
    apiVersion: 'example.com/v1',
    kind: 'Thing',
    metadata: { name, namespace: 'default' },
    spec: { count: 0 },
  });
  process.stdout.write(`ack ${name} ${created.metadata.resourceVersion}\n`);
}

function increment(current: StoredObject | null): StoredObject {
  if (!current) throw new Error('the counter does not exist');
  const next = structuredClone(current);
  (next.spec as { count: number }).count += 1;
  return next;
}

main().catch((err) => {
  process.stdout.write(`failed ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
