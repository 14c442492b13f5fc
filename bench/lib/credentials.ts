/** The admin credentials a server wrote into its kubeconfig, for load clients. */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

export interface Credentials {
  url: URL;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export function readCredentials(kubeconfigPath: string): Credentials {
  const config = YAML.parse(readFileSync(kubeconfigPath, 'utf8'));
  const data = (field: string) => Buffer.from(field, 'base64');
  return {
    url: new URL(config.clusters[0].cluster.server),
    ca: data(config.clusters[0].cluster['certificate-authority-data']),
    cert: data(config.users[0].user['client-certificate-data']),
    key: data(config.users[0].user['client-key-data']),
  };
}
