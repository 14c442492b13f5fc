/**
 * Runs the real kubectl against a test server: its own process group, killed on
 * timeout, output captured. Each call uses a private cache dir so discovery from
 * one server never leaks into another.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const KUBECTL = '/usr/bin/kubectl';

/** The version-specific binaries (1.27 … 1.33). */
export function kubectlVersion(minor: number): string {
  return `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  kubeconfig: string;
  binary?: string;
  input?: string;
  timeoutMs?: number;
  cacheDir?: string;
  /** Added to the environment, e.g. KUBE_EDITOR. */
  env?: Record<string, string>;
}

export function runKubectl(args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  const cacheDir = opts.cacheDir ?? mkdtempSync(path.join(os.tmpdir(), 'kubectl-cache-'));
  return new Promise((resolve, reject) => {
    const child = spawn(opts.binary ?? KUBECTL, ['--kubeconfig', opts.kubeconfig, '--cache-dir', cacheDir, ...args], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HOME: cacheDir, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Like runKubectl, but a non-zero exit is an error that shows what kubectl said. */
export async function kubectl(args: string[], opts: KubectlOptions): Promise<string> {
  const result = await runKubectl(args, opts);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/**
 * Starts a long-running kubectl (e.g. `get -w`) and hands back its output so far
 * and a stop function that kills its process group.
 */
export function startKubectl(args: string[], opts: KubectlOptions): { output: () => string; stop: () => void; exited: Promise<number | null> } {
  const cacheDir = opts.cacheDir ?? mkdtempSync(path.join(os.tmpdir(), 'kubectl-cache-'));
  const child = spawn(opts.binary ?? KUBECTL, ['--kubeconfig', opts.kubeconfig, '--cache-dir', cacheDir, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: cacheDir, ...opts.env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    output: () => out,
    stop: () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    },
    exited,
  };
}

/** Polls until check() passes or the time is up (then rethrows its last error). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
