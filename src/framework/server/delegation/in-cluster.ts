/**
 * A server deployed in the core cluster (a Pod, as `apiserver-kit manifests`
 * deploys it) reaches the cluster as k8s.io/apiserver does without a kubeconfig:
 * at KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT, verified with the service
 * account's CA and authenticated with its token, read again for every request
 * since the kubelet rotates it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterEnvironment {
  env: NodeJS.ProcessEnv;
  /** Where the service account's `token` and `ca.crt` are mounted. */
  serviceAccountDir: string;
}

/** Writes a kubeconfig of the in-cluster configuration to `file`; false (nothing written) outside a cluster. */
export function writeInClusterKubeconfig(file: string, where: InClusterEnvironment = { env: process.env, serviceAccountDir: SERVICE_ACCOUNT_DIR }): boolean {
  const host = where.env.KUBERNETES_SERVICE_HOST;
  const port = where.env.KUBERNETES_SERVICE_PORT;
  const tokenFile = path.join(where.serviceAccountDir, 'token');
  const caFile = path.join(where.serviceAccountDir, 'ca.crt');
  if (!host || !port || !existsSync(tokenFile)) return false;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'in-cluster', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name: 'service-account', user: { tokenFile } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'service-account' } }],
    'current-context': 'in-cluster',
  };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, YAML.stringify(kubeconfig), { mode: 0o600 });
  return true;
}
