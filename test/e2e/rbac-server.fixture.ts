/**
 * A server with RBAC and two token users for authorization tests: alice (group
 * devs) and bob, each with a kubeconfig of their own beside the admin's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterOf, writeKubeconfigFor } from '../support/credentials';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

/** The token file: alice (group devs) and bob. */
export const TEST_TOKENS = 'tok-alice,alice,1001,devs\ntok-bob,bob,1002\n';

export interface RBACServer {
  server: TestServer;
  /** A scratch directory removed by stop(). */
  dir: string;
  /** Kubeconfig paths. */
  admin: string;
  alice: string;
  bob: string;
  stop(): Promise<void>;
}

export async function startRBACServer(): Promise<RBACServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rbac-'));
  writeFileSync(path.join(dir, 'tokens.csv'), TEST_TOKENS);
  const server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]), ['--authorization-mode', 'RBAC', '--token-auth-file', path.join(dir, 'tokens.csv')]);
  const cluster = clusterOf(server.kubeconfig);
  return {
    server,
    dir,
    admin: server.kubeconfig,
    alice: writeKubeconfigFor(cluster, path.join(dir, 'alice'), { token: 'tok-alice' }),
    bob: writeKubeconfigFor(cluster, path.join(dir, 'bob'), { token: 'tok-bob' }),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
