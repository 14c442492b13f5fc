/**
 * Every server a benchmark measures runs in its own process (so the load
 * generator never shares its event loop), in its own process group, and is
 * killed with it. A child prints `READY <json>` once it serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface Child {
  info: Record<string, string>;
  pid: number;
  stop(): Promise<void>;
  /** Resident memory in bytes, from /proc. */
  rss(): number;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export function startChild(script: string, args: string[], timeoutMs = 120_000): Promise<Child> {
  const child = spawn(process.execPath, ['--max-old-space-size=8192', path.join(__dirname, '..', script), ...args], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  live.add(child);
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not get ready in ${timeoutMs} ms`)), timeoutMs);
    child.on('exit', (code) => {
      live.delete(child);
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const match = /READY (.*)\n/.exec(buffered);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({
        info: JSON.parse(match[1]),
        pid: child.pid as number,
        rss: () => readRSS(child.pid as number),
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            try {
              process.kill(-(child.pid as number), 'SIGKILL');
            } catch {
              done();
            }
            live.delete(child);
          }),
      });
    });
  });
}

function readRSS(pid: number): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}
