/**
 * The reference for storage work: the raw etcd3 client, in a process of its own
 * as our server is. `txn <endpoint> <concurrency> <ms>`: create-if-absent
 * transactions of 1 KiB values; `watch <endpoint> <writes> <concurrency>`: put
 * ack → watch event latency. Prints `READY <json result>`.
 */
import { Etcd3 } from 'etcd3';
import { performance } from 'node:perf_hooks';
import { itemBody } from './lib/bench-resource';
import { percentile } from './lib/stats';

const [mode, endpoint, a, b] = process.argv.slice(2);
const client = new Etcd3({ hosts: endpoint });
const value = itemBody('x');

async function txn(concurrency: number, durationMs: number): Promise<Record<string, number>> {
  const deadline = performance.now() + durationMs;
  let done = 0;
  let seq = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const key = `/bench-ref/txn/${process.pid}-${seq++}`;
      await client.if(key, 'Create', '==', 0).then(client.put(key).value(value)).commit();
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { opsPerSecond: (done / (performance.now() - start)) * 1000 };
}

async function watchLatency(writes: number, concurrency: number): Promise<Record<string, number>> {
  const acked = new Map<string, number>();
  const seen = new Map<string, number>();
  const watcher = await client.watch().prefix('/bench-ref/watch/').create();
  watcher.on('put', (kv) => seen.set(kv.key.toString(), performance.now()));
  let next = 0;
  const worker = async () => {
    while (next < writes) {
      const key = `/bench-ref/watch/${process.pid}-${next++}`;
      await client.put(key).value(value);
      acked.set(key, performance.now());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  while (seen.size < writes) await new Promise((r) => setTimeout(r, 10));
  const latencies = [...acked].map(([key, at]) => Math.max(0, (seen.get(key) as number) - at));
  await watcher.cancel();
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

(async () => {
  const result = mode === 'txn' ? await txn(Number(a), Number(b)) : await watchLatency(Number(a), Number(b));
  process.stdout.write(`READY ${JSON.stringify(result)}\n`);
  client.close();
})().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
