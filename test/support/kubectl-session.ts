/**
 * One kubectl binary against one server, used the way a person uses it: one
 * discovery and OpenAPI cache for all commands (so later commands revalidate
 * with ETags), and every command held to a clean stderr — a warning or client
 * error nobody expected fails the test.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runKubectl, startKubectl, type KubectlResult } from './kubectl';

export interface SessionCommandOptions {
  input?: string;
  env?: Record<string, string>;
  /** Lines kubectl may print on stderr (warnings the test expects, notices such as "No resources found"). */
  stderr?: RegExp;
}

/** The minor version of a kubectl binary, from `kubectl version --client`. */
export async function kubectlMinorVersion(binary: string): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubectl-version-'));
  try {
    const result = await runKubectl(['version', '--client', '-o', 'json'], { kubeconfig: '/dev/null', binary, cacheDir: dir });
    const minor = Number.parseInt(JSON.parse(result.stdout).clientVersion.minor, 10);
    if (!Number.isInteger(minor)) throw new Error(`${binary} reported no minor version:\n${result.stdout}${result.stderr}`);
    return minor;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Server warnings and klog lines (W1123 …, E1123 …) in the output of a long-running command fail the test. */
export function assertNoWarnings(output: string): void {
  assert.doesNotMatch(output, /^(Warning:|[EFW]\d{4} )/m, `unexpected warnings or errors:\n${output}`);
}

export class KubectlSession {
  private readonly cacheDir = mkdtempSync(path.join(os.tmpdir(), 'kubectl-session-'));

  constructor(
    readonly binary: string,
    readonly kubeconfig: string,
  ) {}

  /** Runs a command; the caller judges the result. */
  run(args: string[], opts: SessionCommandOptions = {}): Promise<KubectlResult> {
    return runKubectl(args, { kubeconfig: this.kubeconfig, binary: this.binary, cacheDir: this.cacheDir, input: opts.input, env: opts.env });
  }

  /** Runs a command that must succeed and print nothing unexpected on stderr; returns stdout. */
  async ok(args: string[], opts: SessionCommandOptions = {}): Promise<string> {
    const result = await this.run(args, opts);
    assert.equal(result.code, 0, `kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
    this.assertExpectedStderr(args, result.stderr, opts.stderr);
    return result.stdout;
  }

  /** Runs a command that must fail; returns what it printed. */
  async fails(args: string[], opts: SessionCommandOptions = {}): Promise<KubectlResult> {
    const result = await this.run(args, opts);
    assert.notEqual(result.code, 0, `kubectl ${args.join(' ')} succeeded:\n${result.stdout}`);
    return result;
  }

  /** A long-running command (get -w, wait) in its own process group. */
  start(args: string[]): ReturnType<typeof startKubectl> {
    return startKubectl(args, { kubeconfig: this.kubeconfig, binary: this.binary, cacheDir: this.cacheDir });
  }

  close(): void {
    rmSync(this.cacheDir, { recursive: true, force: true });
  }

  private assertExpectedStderr(args: string[], stderr: string, expected: RegExp | undefined): void {
    const unexpected = stderr.split('\n').filter((line) => line.trim() !== '' && !expected?.test(line));
    assert.deepEqual(unexpected, [], `kubectl ${args.join(' ')} printed on stderr:\n${stderr}`);
  }
}
