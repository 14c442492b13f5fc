/**
 * Watch fan-out: N clients hold a watch open; for each write, the time from the
 * write's acknowledgement to each client seeing the event. The same measurement
 * runs against our server and against a bare Node fan-out of the same bytes.
 */
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Credentials } from './credentials';

interface Watcher {
  request: ReturnType<typeof https.request>;
}

/** Opens `count` watches; `onEvent(counter, at)` gets spec.counter of each event line. */
async function openWatchers(c: Credentials, path: string, count: number, onEvent: (counter: number, at: number) => void): Promise<Watcher[]> {
  const agent = new https.Agent({ keepAlive: false, maxSockets: Infinity, ca: c.ca, cert: c.cert, key: c.key });
  const opened: Promise<Watcher>[] = [];
  for (let i = 0; i < count; i++) {
    opened.push(
      new Promise((resolve, reject) => {
        const request = https.get(new URL(path, c.url), { agent }, (res) => {
          let partial = '';
          res.on('data', (chunk: Buffer) => {
            const at = performance.now();
            partial += chunk.toString();
            let nl: number;
            while ((nl = partial.indexOf('\n')) >= 0) {
              const line = partial.slice(0, nl);
              partial = partial.slice(nl + 1);
              const counter = JSON.parse(line).object?.spec?.counter;
              if (typeof counter === 'number') onEvent(counter, at);
            }
          });
          resolve({ request });
        });
        request.on('error', reject);
      }),
    );
    // Do not open a thousand TLS handshakes at once on two cores.
    if (i % 50 === 49) await Promise.all(opened.slice(-50));
  }
  return Promise.all(opened);
}

/**
 * Latencies in ms (ack → arrival) over `writes.count` writes to `count` watchers.
 * `write(counter)` performs one write setting spec.counter (distinct across calls)
 * and resolves at its acknowledgement.
 */
export async function fanoutLatencies(
  c: Credentials,
  watchPath: string,
  count: number,
  writes: { from: number; count: number },
  write: (counter: number) => Promise<void>,
): Promise<number[]> {
  const arrivals = new Map<number, number[]>();
  const watchers = await openWatchers(c, watchPath, count, (counter, at) => {
    let list = arrivals.get(counter);
    if (!list) arrivals.set(counter, (list = []));
    list.push(at);
  });
  await new Promise((r) => setTimeout(r, 500));
  const latencies: number[] = [];
  for (let counter = writes.from; counter < writes.from + writes.count; counter++) {
    await write(counter);
    const acked = performance.now();
    const deadline = acked + 10_000;
    while ((arrivals.get(counter)?.length ?? 0) < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    const seen = arrivals.get(counter) ?? [];
    if (seen.length < count) throw new Error(`only ${seen.length} of ${count} watchers saw write ${counter}`);
    for (const at of seen) latencies.push(Math.max(0, at - acked));
  }
  for (const w of watchers) w.request.destroy();
  return latencies;
}
