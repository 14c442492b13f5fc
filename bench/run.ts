/**
 * `npm run bench [create|get|list|fanout|latency|startup …]`: each scenario (all by
 * default) measured against its reference in the same run
 * (3 repetitions, median and spread), printed as one table, saved as JSON and an
 * SVG chart in bench/results/. Bounded in time; starts and stops its own etcd and
 * servers.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEtcd, type EtcdProcess } from '../test/support/etcd';
import { ITEMS_PATH, itemBody } from './lib/bench-resource';
import { startChild, type Child } from './lib/children';
import { readCredentials, type Credentials } from './lib/credentials';
import { fanoutLatencies } from './lib/fanout';
import { agent, inParallel, request } from './lib/https-requests';
import { requestsPerSecond } from './lib/load';
import { makeFigure, save, table, type Figure } from './lib/report';
import { median, percentile } from './lib/stats';
import { startupScenarios } from './startup';

const REPETITIONS = 3;
/** Lists timed per repetition of the list scenario. */
const LIST_SAMPLES = 7;
/** Writes per repetition of the watch latency scenario: of 200, the p99 was the third slowest, and one GC pause moved it by half. */
const LATENCY_WRITES = 1000;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-bench-'));
const figures: Figure[] = [];
let etcd: EtcdProcess | undefined;
let nameCounter = 0;
let writeCounter = 1;

/** The next `count` spec.counter values, never used before in this run. */
function nextWrites(count: number): { from: number; count: number } {
  const from = writeCounter;
  writeCounter += count;
  return { from, count };
}

async function repeat(measure: () => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) samples.push(await measure());
  return samples;
}

/**
 * Ours and the reference in turn, repetition by repetition: the machine drifts
 * (other tenants, CPU clocks) over a scenario, and taking turns lets both sides
 * see the same drift rather than one side the first half of it.
 */
async function repeatPaired(ours: () => Promise<number>, reference: () => Promise<number>): Promise<[number[], number[]]> {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < REPETITIONS; i++) {
    samples[0].push(await ours());
    samples[1].push(await reference());
  }
  return samples;
}

function record(scenario: string, unit: string, ours: number[], reference: number[], referenceName: string, target: Figure['target']): void {
  const figure = makeFigure(scenario, unit, ours, reference, referenceName, target);
  figures.push(figure);
  process.stdout.write(`${scenario}: ours ${figure.ours.toFixed(1)} ${unit}, reference ${figure.reference.toFixed(1)} ${unit}, ratio ${figure.ratio.toFixed(2)}\n`);
}

async function startServer(flags: string[]): Promise<{ child: Child; credentials: Credentials; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(scratch, 'server-'));
  const child = await startChild('server-child.js', ['--secure-port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...flags]);
  return { child, credentials: readCredentials(child.info.kubeconfig), dataDir };
}

const createLoad = (c: Credentials) => () =>
  requestsPerSecond({ url: c.url, credentials: c, method: 'POST', path: ITEMS_PATH, body: () => itemBody(`c-${nameCounter++}`) });

/** The raw etcd3 client's create-if-absent transactions for 5 s, in a process of its own. */
async function rawEtcdTxnRate(): Promise<number> {
  const ref = await startChild('etcd-child.js', ['txn', etcd!.endpoint, '64', '5000']);
  await ref.stop();
  return Number(ref.info.opsPerSecond);
}

async function createScenarios(): Promise<void> {
  etcd ??= await startEtcd();
  const onEtcd = await startServer(['--etcd-servers', etcd.endpoint]);
  const [oursEtcd, txn] = await repeatPaired(createLoad(onEtcd.credentials), rawEtcdTxnRate);
  await onEtcd.child.stop();
  record('create, 1 KiB, etcd', 'creates/s', oursEtcd, txn, 'raw etcd3 txn', { op: '>=', value: 0.6 });
  const twoWorkers = await startServer(['--etcd-servers', etcd.endpoint, '--workers', '2']);
  const [oursTwoWorkers, txnAgain] = await repeatPaired(createLoad(twoWorkers.credentials), rawEtcdTxnRate);
  await twoWorkers.child.stop();
  record('create, 1 KiB, etcd, --workers 2', 'creates/s', oursTwoWorkers, txnAgain, 'raw etcd3 txn', { op: '>=', value: 0.6 });

  const onSqlite = await startServer([]);
  const koa = await startChild('koa-child.js', [path.join(onSqlite.dataDir, 'pki'), writeBodyFile(itemBody('fixed'))]);
  const koaURL = new URL(koa.info.url);
  const [oursSqlite, echo] = await repeatPaired(createLoad(onSqlite.credentials), () =>
    requestsPerSecond({ url: koaURL, credentials: onSqlite.credentials, method: 'POST', path: '/echo', body: () => itemBody(`e-${nameCounter++}`) }),
  );
  record('create, 1 KiB, SQLite', 'creates/s', oursSqlite, echo, 'koa POST echo', { op: '>=', value: 0.5 });
  await koa.stop();
  await onSqlite.child.stop();
}

/** One object read from the cache, against koa returning the same bytes. */
async function getScenario(): Promise<void> {
  const server = await startServer([]);
  const c = server.credentials;
  const a = agent(c);
  await request(c, a, 'POST', ITEMS_PATH, itemBody('one'));
  const body = (await request(c, a, 'GET', `${ITEMS_PATH}/one`)).body;
  const koa = await startChild('koa-child.js', [path.join(server.dataDir, 'pki'), writeBodyFile(body.toString())]);
  const [ours, reference] = await repeatPaired(
    () => requestsPerSecond({ url: c.url, credentials: c, method: 'GET', path: `${ITEMS_PATH}/one` }),
    () => requestsPerSecond({ url: new URL(koa.info.url), credentials: c, method: 'GET', path: '/fixed' }),
  );
  record('get one object (cache)', 'req/s', ours, reference, 'koa GET same bytes', { op: '>=', value: 0.7 });
  await koa.stop();
  await server.child.stop();
}

function writeBodyFile(content: string): string {
  const file = path.join(scratch, `body-${nameCounter++}.json`);
  writeFileSync(file, content);
  return file;
}

async function listScenario(): Promise<void> {
  const server = await startServer([]);
  const c = server.credentials;
  const a = agent(c);
  await inParallel(10_000, 32, async (i) => {
    const res = await request(c, a, 'POST', ITEMS_PATH, itemBody(`l-${i}`));
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
  });
  let items: unknown[] = [];
  // Server time: from sending the request to the first byte of the answer (the
  // server builds the whole body before it sends any of it). One list takes tens
  // of milliseconds, so a GC or another process easily doubles a single one: each
  // repetition is the median of several, on both sides.
  const ours = await repeat(async () => {
    const times: number[] = [];
    for (let i = 0; i < LIST_SAMPLES; i++) {
      const res = await request(c, a, 'GET', ITEMS_PATH);
      items = JSON.parse(res.body.toString()).items;
      if (items.length !== 10_000) throw new Error(`listed ${items.length} items`);
      times.push(res.firstByteMs);
    }
    return median(times);
  });
  const stringify = await repeat(async () => {
    const times: number[] = [];
    for (let i = 0; i < LIST_SAMPLES; i++) {
      const started = performance.now();
      JSON.stringify(items);
      times.push(performance.now() - started);
    }
    return median(times);
  });
  record('list 10,000 x 1 KiB (cache)', 'ms', ours, stringify, 'JSON.stringify in one process', { op: '<=', value: 1.0 });
  await server.child.stop();
}

async function fanoutScenario(): Promise<void> {
  const server = await startServer([]);
  const c = server.credentials;
  const a = agent(c);
  await request(c, a, 'POST', ITEMS_PATH, itemBody('fan', 0));
  const list = JSON.parse((await request(c, a, 'GET', ITEMS_PATH)).body.toString());
  const watchPath = `${ITEMS_PATH}?watch=true&resourceVersion=${list.metadata.resourceVersion}`;
  const ours = await repeat(async () =>
    percentile(
      await fanoutLatencies(c, watchPath, 1000, nextWrites(5), async (counter) => {
        const res = await request(c, a, 'PATCH', `${ITEMS_PATH}/fan`, JSON.stringify({ spec: { counter } }), 'application/merge-patch+json');
        if (res.status !== 200) throw new Error(`patch failed: ${res.status}`);
      }),
      0.99,
    ),
  );
  const bare = await startChild('fanout-child.js', [path.join(server.dataDir, 'pki')]);
  const bareCredentials = { ...c, url: new URL(bare.info.url) };
  const sample = JSON.parse((await request(c, a, 'GET', `${ITEMS_PATH}/fan`)).body.toString());
  const reference = await repeat(async () =>
    percentile(
      await fanoutLatencies(bareCredentials, '/watch', 1000, nextWrites(5), async (counter) => {
        await request(bareCredentials, agent(bareCredentials, 1), 'POST', '/trigger', JSON.stringify({ type: 'MODIFIED', object: { ...sample, spec: { ...sample.spec, counter } } }));
      }),
      0.99,
    ),
  );
  record('watch fan-out, 1 write -> 1,000 watchers, p99', 'ms', ours, reference, 'bare Node HTTPS fan-out', { op: '<=', value: 1.5 });
  await bare.stop();
  await server.child.stop();
}

async function watchLatencyScenario(): Promise<void> {
  etcd ??= await startEtcd();
  const server = await startServer(['--etcd-servers', etcd!.endpoint, '--etcd-prefix', '/bench-latency']);
  const c = server.credentials;
  const a = agent(c);
  const [ours, raw] = await repeatPaired(
    async () => {
      const list = JSON.parse((await request(c, a, 'GET', ITEMS_PATH)).body.toString());
      const latencies = await fanoutLatencies(c, `${ITEMS_PATH}?watch=true&resourceVersion=${list.metadata.resourceVersion}`, 1, nextWrites(LATENCY_WRITES), async (counter) => {
        const res = await request(c, a, 'POST', ITEMS_PATH, itemBody(`w-${counter}`, counter));
        if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
      });
      return percentile(latencies, 0.99);
    },
    async () => {
      const ref = await startChild('etcd-child.js', ['watch', etcd!.endpoint, String(LATENCY_WRITES), '1']);
      await ref.stop();
      return Number(ref.info.p99);
    },
  );
  record('watch latency, etcd, p99', 'ms', ours, raw, 'raw etcd put -> watch event', { op: '<=', value: 1.5 });
  await server.child.stop();
}

async function main(): Promise<void> {
  const started = performance.now();
  try {
    const scenarios: Record<string, () => Promise<void>> = {
      create: createScenarios,
      get: getScenario,
      list: listScenario,
      fanout: fanoutScenario,
      latency: watchLatencyScenario,
      startup: async () => void figures.push(...(await startupScenarios(scratch))),
    };
    const only = process.argv.slice(2);
    for (const [name, run] of Object.entries(scenarios)) if (only.length === 0 || only.includes(name)) await run();
  } finally {
    await etcd?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  const files = save(figures, path.join(__dirname, '../../bench/results'));
  process.stdout.write(`\n${table(figures)}\n\nmachine: ${os.cpus().length} cores, ${os.cpus()[0]?.model}; node ${process.version}; ${((performance.now() - started) / 1000).toFixed(0)} s\nsaved ${files.json} and ${files.svg}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
