import YAML from 'yaml';
import { PRIVATE_FILE_MODE, writeFileAtomic } from './files';

export interface KubeconfigOptions {
  /** The server's URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** CA bundle that verifies the serving certificate. */
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** Name of the cluster and the context. Default `apiserver-kit`. */
  contextName?: string;
  /** Name of the user entry. Default `admin`. */
  user?: string;
}

/**
 * Writes a kubeconfig (mode 0600, it holds a private key) with one cluster, user
 * and context, the current one, carrying every certificate and key inline as
 * base64 data so that the file works wherever it is copied.
 */
export async function writeKubeconfig(file: string, opts: KubeconfigOptions): Promise<void> {
  const contextName = opts.contextName ?? 'apiserver-kit';
  const user = opts.user ?? 'admin';
  const base64 = (pem: string): string => Buffer.from(pem).toString('base64');
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: contextName, cluster: { server: opts.server, 'certificate-authority-data': base64(opts.caPem) } }],
    users: [
      {
        name: user,
        user: { 'client-certificate-data': base64(opts.clientCertPem), 'client-key-data': base64(opts.clientKeyPem) },
      },
    ],
    contexts: [{ name: contextName, context: { cluster: contextName, user } }],
    'current-context': contextName,
    preferences: {},
  };
  await writeFileAtomic(file, YAML.stringify(kubeconfig), PRIVATE_FILE_MODE);
}
