/**
 * Starts a real etcd (Debian's etcd-server, /usr/bin/etcd) for tests: loopback
 * ports picked free, a temporary data dir, its own process group so that it can
 * be killed with everything it spawned. Every etcd still running when the test
 * process exits (or is interrupted) is killed.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ETCD_BINARY = '/usr/bin/etcd';

export interface EtcdTLSOptions {
  /** Server certificate and key presented to clients. */
  certFile: string;
  keyFile: string;
  /** CA that client certificates must be signed by (etcd's --client-cert-auth). */
  trustedCAFile: string;
}

export interface StartEtcdOptions {
  /** Serve clients over TLS and require client certificates. */
  tls?: EtcdTLSOptions;
  /** etcd's periodic watch progress notification (BOOKMARK source); default 1 s so tests need not wait. */
  progressNotifyIntervalMs?: number;
}

export interface EtcdProcess {
  /** Client URL, e.g. http://127.0.0.1:40123 (https with tls). */
  readonly endpoint: string;
  readonly dataDir: string;
  /** Stops etcd and removes its data dir. Idempotent. */
  stop(): Promise<void>;
  /** Stops etcd gracefully (unless it is down already) and starts it again on the same ports with the same data. */
  restart(): Promise<void>;
  /** Kills the process group at once (SIGKILL), as a crash would; the data stays for restart(). */
  crash(): Promise<void>;
  /** Freezes the process (SIGSTOP): it keeps its sockets but answers nothing. */
  pause(): void;
  /** Thaws a paused process (SIGCONT). */
  resume(): void;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/** Every etcd this process started and has not stopped yet: process-group id → data dir. */
const running = new Map<number, string>();

function killAllSync(): void {
  for (const [pgid, dataDir] of running) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  running.clear();
}

process.on('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // Re-raised after cleanup so that the default handler still ends the process.
  process.once(signal, () => {
    killAllSync();
    process.kill(process.pid, signal);
  });
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isHealthy(metricsPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: metricsPort, path: '/health', timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"health":"true"')));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One etcd process with given flags; start() waits until its /health says true (for a cluster member: until there is a leader). */
export class EtcdServer implements EtcdProcess {
  readonly endpoint: string;
  private child: ChildProcess | undefined;
  private output = '';
  private stopped = false;

  constructor(
    readonly dataDir: string,
    private readonly args: string[],
    scheme: string,
    clientPort: number,
    private readonly metricsPort: number,
  ) {
    this.endpoint = `${scheme}://127.0.0.1:${clientPort}`;
  }

  async start(): Promise<void> {
    this.output = '';
    const child = spawn(ETCD_BINARY, this.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    running.set(child.pid!, this.dataDir);
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', () => running.delete(child.pid!));

    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`etcd exited before it was ready (${child.exitCode ?? child.signalCode}):\n${this.output}`);
      }
      if (await isHealthy(this.metricsPort)) return;
      await sleep(50);
    }
    await this.kill();
    throw new Error(`etcd was not healthy within ${READY_TIMEOUT_MS} ms:\n${this.output}`);
  }

  /** Ends the process group: SIGTERM, then SIGKILL if it lingers. */
  private async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    signalGroup('SIGCONT'); // a paused etcd cannot act on SIGTERM
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  async restart(): Promise<void> {
    if (this.stopped) throw new Error('etcd was stopped; it cannot be restarted');
    await this.kill();
    await this.start();
  }

  async crash(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }

  pause(): void {
    process.kill(-this.child!.pid!, 'SIGSTOP');
  }

  resume(): void {
    process.kill(-this.child!.pid!, 'SIGCONT');
  }
}

/** Starts an etcd on free loopback ports with a fresh data dir and waits until it is healthy. */
export async function startEtcd(opts: StartEtcdOptions = {}): Promise<EtcdProcess> {
  if (!existsSync(ETCD_BINARY)) {
    throw new Error(`etcd not found: install Debian's etcd-server (expected ${ETCD_BINARY})`);
  }
  const [clientPort, peerPort, metricsPort] = await Promise.all([freeLoopbackPort(), freeLoopbackPort(), freeLoopbackPort()]);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-etcd-'));
  const scheme = opts.tls ? 'https' : 'http';
  const clientURL = `${scheme}://127.0.0.1:${clientPort}`;
  const peerURL = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name=test',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${clientURL}`,
    `--advertise-client-urls=${clientURL}`,
    `--listen-peer-urls=${peerURL}`,
    `--initial-advertise-peer-urls=${peerURL}`,
    `--initial-cluster=test=${peerURL}`,
    // Plain-HTTP health endpoint, reachable even when clients must present certificates.
    `--listen-metrics-urls=http://127.0.0.1:${metricsPort}`,
    `--experimental-watch-progress-notify-interval=${opts.progressNotifyIntervalMs ?? 1000}ms`,
    '--logger=zap',
    '--log-level=warn',
  ];
  if (opts.tls) {
    args.push(
      `--cert-file=${opts.tls.certFile}`,
      `--key-file=${opts.tls.keyFile}`,
      `--trusted-ca-file=${opts.tls.trustedCAFile}`,
      '--client-cert-auth',
    );
  }
  const server = new EtcdServer(dataDir, args, scheme, clientPort, metricsPort);
  try {
    await server.start();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}
