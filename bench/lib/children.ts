/**
 * Every server a benchmark measures runs in its own process (so the load
 * generator never shares its event loop), in its own process group, and is
 * killed with it. A child prints `READY <json>` once it serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Child {
  info: Record<string, string>;
  pid: number;
  /** Resolves (with performance.now()) once the child's standard output, from its start, matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<number>;
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
  let output = '';
  const waiters = new Set<{ pattern: RegExp; seen: (at: number) => void }>();
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
    for (const waiter of waiters) if (waiter.pattern.test(output)) waiter.seen(performance.now());
  });
  const waitForOutput = (pattern: RegExp, waitMs = 120_000) =>
    new Promise<number>((resolve, reject) => {
      if (pattern.test(output)) return resolve(performance.now());
      const waiter = {
        pattern,
        seen: (at: number) => {
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(at);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${script} did not print ${pattern} in ${waitMs} ms`));
      }, waitMs);
      waiters.add(waiter);
    });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      live.delete(child);
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
    waitForOutput(/READY (.*)\n/, timeoutMs).then(() => {
      resolve({
        info: JSON.parse((/READY (.*)\n/.exec(output) as RegExpExecArray)[1]),
        pid: child.pid as number,
        waitForOutput,
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
    }, reject);
  });
}

function readRSS(pid: number): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}
