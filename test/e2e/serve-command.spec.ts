/**
 * `apiserver-kit serve` as a user runs it: a child process that prints how to
 * use kubectl when ready, serves the sample groups (or those --groups selects),
 * reuses its certificates on the next start, refuses unknown flags, and exits 0
 * on Ctrl-C.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, kubectl } from '../support/kubectl';

const CLI = path.resolve(__dirname, '../../src/cli.js');

interface ServeProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function serve(args: string[]): ServeProcess {
  const child = spawn(process.execPath, [CLI, 'serve', '--nginx-controller=false', ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output: () => out, exited };
}

function killGroup(p: ServeProcess | undefined): void {
  if (!p?.child.pid) return;
  try {
    process.kill(-p.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

describe('e2e: the serve command', function () {
  this.timeout(60_000);
  let dataDir: string;
  let running: ServeProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'serve-command-'));
  });
  afterEach(() => {
    killGroup(running);
    running = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startAndWaitReady(args: string[]): Promise<string> {
    running = serve(['--secure-port', '0', '--data-dir', dataDir, ...args]);
    await eventually(() => assert.match(running!.output(), /ready: serving on https:\/\/127\.0\.0\.1:\d+; try: kubectl --kubeconfig \S+admin\.kubeconfig api-resources/), 30_000, 100);
    return path.join(dataDir, 'admin.kubeconfig');
  }

  it('serves the sample groups, says how to use kubectl, and exits 0 on SIGINT', async () => {
    const kubeconfig = await startAndWaitReady([]);
    const resources = await kubectl(['api-resources'], { kubeconfig });
    assert.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    assert.match(resources, /nginx\.example\.com\/v1/);
    process.kill(running!.child.pid as number, 'SIGINT');
    assert.equal(await running!.exited, 0);
    assert.match(running!.output(), /shutting down/);
  });

  it('serves the groups --groups names and refuses names it does not know', async () => {
    const kubeconfig = await startAndWaitReady(['--groups', 'nginx.example.com']);
    assert.match(await kubectl(['api-resources'], { kubeconfig }), /nginx\.example\.com\/v1/);
    killGroup(running);
    running = serve(['--secure-port', '0', '--data-dir', dataDir, '--groups', 'bogus.example.com']);
    assert.equal(await running.exited, 1);
    assert.match(running.output(), /--groups names no such group: bogus\.example\.com \(known: nginx\.example\.com/);
  });

  it('reuses the certificates of an earlier start', async () => {
    await startAndWaitReady([]);
    assert.match(running!.output(), /generat/i, 'the first start generates certificates');
    process.kill(running!.child.pid as number, 'SIGTERM');
    assert.equal(await running!.exited, 0);
    const kubeconfig = await startAndWaitReady([]);
    assert.doesNotMatch(running!.output(), /generat/i, 'the second start generates nothing');
    assert.match(await kubectl(['get', 'namespaces', '-o', 'name'], { kubeconfig }), /namespace\/default/);
  });

  it('stops gracefully, exit 0, on a SIGTERM that comes while it is still starting', async () => {
    running = serve(['--secure-port', '0', '--data-dir', dataDir]);
    // The first start generates its certificates before it listens: the signal comes mid-start.
    await eventually(() => assert.match(running!.output(), /generated a new certificate/), 30_000, 20);
    process.kill(running.child.pid as number, 'SIGTERM');
    assert.equal(await running.exited, 0, running.output());
    assert.match(running.output(), /"signal":"SIGTERM","msg":"shutting down"/);
    assert.doesNotMatch(running.output(), /ready: serving/, 'a server asked to stop does not announce itself');
  });

  it('with --workers 2, stops with exit 0 and forks no worker on a SIGTERM while it prepares the certificates', async () => {
    running = serve(['--secure-port', '0', '--data-dir', dataDir, '--workers', '2']);
    await eventually(() => assert.match(running!.output(), /generated a new certificate/), 30_000, 20);
    process.kill(running.child.pid as number, 'SIGTERM');
    assert.equal(await running.exited, 0, running.output());
    assert.match(running.output(), /"reason":"SIGTERM","workers":0,"msg":"shutting down"/);
  });

  it('refuses an unknown flag with a clear message', async () => {
    running = serve(['--no-such-flag', 'x']);
    assert.equal(await running.exited, 1);
    assert.match(running.output(), /unknown flag: --no-such-flag/);
  });
});
