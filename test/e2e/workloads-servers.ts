/**
 * Servers of the workloads sample on a real etcd the test started, and what
 * they stored there, read straight from etcd (JSON below <prefix>/apps.example.com/deployments/).
 */
import { Etcd3 } from 'etcd3';
import { workloadsGroups } from '../../src/apis/workloads/group';
import { startTestServer, type TestServer } from './server-harness';
import type { EtcdProcess } from '../support/etcd';

export const ETCD_PREFIX = '/e2e';

/** A server of the given workloads groups (default both) on `etcd`; --etcd-servers replaces the embedded store. */
export function startWorkloadsServer(etcd: EtcdProcess, flags: string[] = []): Promise<TestServer> {
  return startTestServer('sqlite', (builder) => workloadsGroups().forEach((group) => builder.withGroup(group)), [
    '--etcd-servers',
    etcd.endpoint,
    '--etcd-prefix',
    ETCD_PREFIX,
    ...flags,
  ]);
}

/** The apiVersion each stored Deployment was written in, by `namespace/name`. */
export async function storedDeploymentVersions(endpoint: string, prefix = ETCD_PREFIX): Promise<Record<string, string>> {
  const raw = new Etcd3({ hosts: [endpoint] });
  try {
    const root = `${prefix}/apps.example.com/deployments/`;
    const values = await raw.getAll().prefix(root).strings();
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [key.slice(root.length), (JSON.parse(value) as { apiVersion: string }).apiVersion]));
  } finally {
    raw.close();
  }
}
