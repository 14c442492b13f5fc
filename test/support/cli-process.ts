/**
 * `apiserver-kit` (the built src/cli.js), or another built script, as a child
 * process in its own process group, its output collected, for tests of what a
 * user runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve(__dirname, '../../src/cli.js');

export interface CLIProcess {
  child: ChildProcess;
  /** Standard output and error so far. */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Kills the whole process group at once (also when it is already gone). */
  kill(): void;
}

export function startCLI(args: string[]): CLIProcess {
  return startScript(CLI, args);
}

/** Runs a built script (e.g. an example server) with Node. */
export function startScript(script: string, args: string[]): CLIProcess {
  const child = spawn(process.execPath, [script, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    exited: new Promise((resolve) => child.on('close', resolve)),
    kill() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
