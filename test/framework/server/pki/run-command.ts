/**
 * Runs a command-line tool (kubectl, openssl) to completion in its own process
 * group. `killRunningCommands()` belongs in an after hook: it ends whatever a
 * failed or timed-out test left running.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const running = new Set<number>();

export function runCommand(file: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid); // undefined when spawning failed; 'error' follows
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => pid !== undefined && killGroup(pid), opts.timeoutMs ?? 15_000);
    const settle = (): void => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
    };
    child.on('error', (err) => {
      settle();
      reject(err);
    });
    child.on('close', (code) => {
      settle();
      resolve({ code, stdout, stderr });
    });
  });
}

export function killRunningCommands(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
