/**
 * Starts a server for end-to-end tests in this process, on a free loopback port,
 * with a temporary data dir, on the embedded store or on a real etcd started for
 * the suite. stop() releases everything, also after a failed test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { APIServerBuilder, parseRunOptions, type RunningServer } from '../../src/index';
import { startEtcd, type EtcdProcess } from '../support/etcd';

export type Backend = 'sqlite' | 'etcd';

export interface TestServer {
  running: RunningServer;
  kubeconfig: string;
  dataDir: string;
  etcd?: EtcdProcess;
  stop(): Promise<void>;
}

export async function startTestServer(
  backend: Backend,
  configure: (builder: APIServerBuilder) => void,
  extraFlags: string[] = [],
  logger?: Logger,
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-e2e-'));
  const etcd = backend === 'etcd' ? await startEtcd() : undefined;
  try {
    const builder = new APIServerBuilder();
    configure(builder);
    const flags = ['--secure-port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...extraFlags];
    if (etcd) flags.push('--etcd-servers', etcd.endpoint, '--etcd-prefix', '/e2e');
    const running = await builder.run(parseRunOptions(flags), logger);
    return {
      running,
      kubeconfig: running.kubeconfigPath as string,
      dataDir,
      etcd,
      async stop() {
        try {
          await running.stop();
        } finally {
          await etcd?.stop();
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await etcd?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
