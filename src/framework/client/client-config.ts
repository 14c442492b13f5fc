/**
 * Where a client connects and with which credentials, read from a kubeconfig
 * file the way kubectl reads it: the current context (or a named one), its
 * cluster's server and CA, its user's client certificate or bearer token.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export interface ClientConfig {
  /** `https://host:port` */
  server: string;
  /** CA bundle (PEM) that verifies the server's certificate; default: the system roots. */
  caPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  /** A file with the bearer token, read for every request (a service account token rotates); wins over `token`. */
  tokenFile?: string;
  /** Skips verification of the server's certificate (insecure-skip-tls-verify). */
  insecureSkipTLSVerify?: boolean;
  /**
   * The User-Agent sent; servers name the writer in managedFields after what
   * precedes its first `/` (client-go sends `<program>/<version> (<os>/<arch>) …`).
   * Default: DEFAULT_USER_AGENT.
   */
  userAgent?: string;
}

/** What a client of this framework calls itself unless its config says otherwise: its writes are managed by `apiserver-kit`, not `unknown`. */
export const DEFAULT_USER_AGENT = 'apiserver-kit';

/** One item of the clusters, users or contexts list: a name and one section. */
interface NamedEntry {
  name: string;
  [section: string]: unknown;
}

interface KubeconfigFile {
  clusters?: NamedEntry[];
  users?: NamedEntry[];
  contexts?: NamedEntry[];
  'current-context'?: string;
}

function entry(list: NamedEntry[] | undefined, name: string, field: string, file: string): Record<string, unknown> {
  const found = list?.find((e) => e.name === name);
  const value = found?.[field];
  if (!value || typeof value !== 'object') throw new Error(`${file}: no ${field} named ${JSON.stringify(name)}`);
  return value as Record<string, unknown>;
}

/** Inline `<field>-data` (base64) wins over the `<field>` file path, resolved against the kubeconfig's folder. */
function pemOf(section: Record<string, unknown>, field: string, baseDir: string): string | undefined {
  const data = section[`${field}-data`];
  if (typeof data === 'string') return Buffer.from(data, 'base64').toString('utf8');
  const file = section[field];
  if (typeof file === 'string') return readFileSync(path.resolve(baseDir, file), 'utf8');
  return undefined;
}

/** Reads a kubeconfig file; `context` defaults to its current-context. */
export function loadClientConfig(kubeconfigPath: string, context?: string): ClientConfig {
  const doc = YAML.parse(readFileSync(kubeconfigPath, 'utf8')) as KubeconfigFile | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${kubeconfigPath}: not a kubeconfig`);
  const contextName = context ?? doc['current-context'];
  if (!contextName) throw new Error(`${kubeconfigPath}: no current-context and no context given`);
  const ctx = entry(doc.contexts, contextName, 'context', kubeconfigPath);
  const cluster = entry(doc.clusters, String(ctx.cluster), 'cluster', kubeconfigPath);
  const user = ctx.user === undefined ? {} : entry(doc.users, String(ctx.user), 'user', kubeconfigPath);
  const baseDir = path.dirname(path.resolve(kubeconfigPath));
  if (typeof cluster.server !== 'string') throw new Error(`${kubeconfigPath}: cluster ${String(ctx.cluster)} has no server`);
  return {
    server: cluster.server,
    caPem: pemOf(cluster, 'certificate-authority', baseDir),
    clientCertPem: pemOf(user, 'client-certificate', baseDir),
    clientKeyPem: pemOf(user, 'client-key', baseDir),
    token: typeof user.token === 'string' ? user.token : undefined,
    tokenFile: typeof user.tokenFile === 'string' ? path.resolve(baseDir, user.tokenFile) : undefined,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
  };
}
