/**
 * Servers for the federation tests: member clusters that can be stopped and
 * started again on the same port and data (so their certificates and objects
 * survive, as a real cluster's would), a host whose controller is paced for
 * tests, and the example join script to make a member known to the host.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { nginxGroup } from '../../src/apis/nginx/group';
import { APIServerBuilder, parseRunOptions, type RunningServer } from '../../src/index';
import type { FederationControllerOptions } from '../../src/controllers/federation/options';
import { kubectl } from '../support/kubectl';

export const EXAMPLES = path.join(__dirname, '../../../examples/federation');

/** Short pauses everywhere, so outages and recoveries show within a test. */
export const TEST_PACING: Partial<FederationControllerOptions> = {
  probeIntervalMs: 300,
  probeTimeoutMs: 1_000,
  retryInitialMs: 100,
  retryMaxMs: 1_000,
  leaseDurationMs: 3_000,
  leaseRenewIntervalMs: 500,
};

export interface MemberServer {
  name: string;
  kubeconfig: string;
  readonly running: boolean;
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same data; `configure` (default: as before) makes it another release. */
  start(configure?: (builder: APIServerBuilder) => void): Promise<void>;
  /** Stops it (if running) and deletes its data. */
  remove(): Promise<void>;
}

/**
 * A member cluster serving nginx.example.com (no nginx controller) and whatever
 * `configure` adds; `extraFlags` say where it stores (default: its data dir).
 */
export async function startMember(name: string, configure: (builder: APIServerBuilder) => void = () => undefined, extraFlags: string[] = []): Promise<MemberServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `federation-${name}-`));
  let port = 0;
  let running: RunningServer | undefined;
  const start = async (release = configure) => {
    configure = release;
    const builder = new APIServerBuilder().withGroup(nginxGroup({ enabled: false }));
    configure(builder);
    // A short drain: the controller's watches keep a stopping member's connections busy.
    const flags = ['--secure-port', String(port), '--data-dir', dataDir, '--log-level', 'warn', '--shutdown-timeout', '1s', ...extraFlags];
    running = await builder.run(parseRunOptions(flags));
    port = running.address.port;
  };
  try {
    await start();
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const member: MemberServer = {
    name,
    kubeconfig: path.join(dataDir, 'admin.kubeconfig'),
    get running() {
      return running !== undefined;
    },
    async stop() {
      const server = running;
      running = undefined;
      await server?.stop();
    },
    start,
    async remove() {
      try {
        await member.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  return member;
}

/**
 * Makes a member known to the host with the example join script, and applies what
 * it prints. The script runs asynchronously: a version-dispatching kubectl asks
 * the member (served by this process) for its version even for `config view`.
 */
export async function join(hostKubeconfig: string, member: MemberServer, labels: Record<string, string> = {}): Promise<void> {
  const args = [member.name, member.kubeconfig, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
  const { stdout: manifest } = await promisify(execFile)(path.join(EXAMPLES, 'join.sh'), args, { encoding: 'utf8' });
  await kubectl(['apply', '-f', '-'], { kubeconfig: hostKubeconfig, input: manifest });
}
