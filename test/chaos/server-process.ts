/**
 * Servers under test as child processes (test/chaos/server-child), each in its
 * own process group so a test can SIGKILL, SIGTERM or SIGSTOP it for real. A
 * server keeps its data dir across restarts; every server still running when
 * the test process exits is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const READY_TIMEOUT_MS = 60_000;
const CHILD_SCRIPT = path.join(__dirname, 'server-child.js');

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) signalGroup(child, 'SIGKILL');
});

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // already gone
  }
}

export interface ServerProcessOptions {
  /** etcd client URLs; none: the embedded SQLite store in the data dir. */
  etcdServers?: string[];
  /** etcd key prefix, so that several tests can share one etcd. */
  etcdPrefix?: string;
  /** More `serve` flags, e.g. --request-timeout=3s. */
  flags?: string[];
  /** Node options for the child, e.g. --max-old-space-size=256. */
  nodeOptions?: string[];
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ServerProcess {
  readonly dataDir = mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-chaos-'));
  url = '';
  kubeconfig = '';
  private child: ChildProcess | undefined;
  private exited: Promise<ExitStatus> = Promise.resolve({ code: null, signal: null });
  /** The child's stderr, last 8 KiB, for failure messages. */
  stderr = '';

  constructor(private readonly options: ServerProcessOptions = {}) {}

  get pid(): number {
    return this.child?.pid as number;
  }

  /** Starts (or starts again, on the same data dir) and resolves once it serves. */
  async start(): Promise<void> {
    const flags = ['--secure-port', '0', '--data-dir', this.dataDir, '--log-level', 'error', ...(this.options.flags ?? [])];
    if (this.options.etcdServers) flags.push('--etcd-servers', this.options.etcdServers.join(','), '--etcd-prefix', this.options.etcdPrefix ?? '/chaos');
    const child = spawn(process.execPath, [...(this.options.nodeOptions ?? []), CHILD_SCRIPT, ...flags], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(child);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        live.delete(child);
        resolve({ code, signal });
      }),
    );
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-8192)));
    const ready = await new Promise<{ url: string; kubeconfig: string }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server not ready in ${READY_TIMEOUT_MS} ms:\n${this.stderr}`)), READY_TIMEOUT_MS);
      void this.exited.then((status) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${status.code ?? status.signal}) before it was ready:\n${this.stderr}`));
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /READY (.*)\n/.exec(out);
        if (!match) return;
        clearTimeout(timer);
        resolve(JSON.parse(match[1]));
      });
    });
    this.url = ready.url;
    this.kubeconfig = ready.kubeconfig;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child) signalGroup(this.child, signal);
  }

  /** Resolves when the process has exited (at once if it has). */
  waitForExit(): Promise<ExitStatus> {
    return this.exited;
  }

  /** SIGKILL, as a crash or an OOM kill would. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  /** The pids of the processes this one started (the workers, with --workers N), from /proc. */
  childPids(): number[] {
    const children = readFileSync(`/proc/${this.pid}/task/${this.pid}/children`, 'utf8').trim();
    return children ? children.split(' ').map(Number) : [];
  }

  /** Resident memory in bytes, from /proc. */
  rss(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  }

  /** Kills the process and removes its data dir. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const server = new ServerProcess(options);
  try {
    await server.start();
  } catch (err) {
    await server.dispose();
    throw err;
  }
  return server;
}
