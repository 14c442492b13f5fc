/**
 * The flags of `apiserver-kit serve`, named as kube-apiserver names them, parsed
 * into one typed options object with defaults.
 */
import path from 'node:path';

export interface ServerRunOptions {
  bindAddress: string;
  securePort: number;
  dataDir: string;
  certDir: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCAFile?: string;
  tlsMinVersion: 'TLSv1.2' | 'TLSv1.3';
  /** IANA (Go) cipher suite names; empty: Node's defaults. */
  tlsCipherSuites: string[];
  tokenAuthFile?: string;
  requestHeaderClientCAFile?: string;
  requestHeaderAllowedNames: string[];
  requestHeaderUsernameHeaders: string[];
  requestHeaderGroupHeaders: string[];
  requestHeaderExtraHeadersPrefix: string[];
  requestHeaderUIDHeaders: string[];
  /** A kubeconfig of the core cluster that reviews bearer tokens (TokenReview). */
  authenticationKubeconfig?: string;
  /**
   * Start even when the core cluster's authentication ConfigMap cannot be read
   * (then no front proxy is trusted until it can be).
   */
  authenticationTolerateLookupFailure: boolean;
  /** A kubeconfig whose server URL is a TokenReview webhook. */
  authenticationTokenWebhookConfigFile?: string;
  authenticationTokenWebhookCacheTTLMs: number;
  /** AlwaysAllow, AlwaysDeny, ABAC, RBAC, Webhook, asked in this order. */
  authorizationMode: string[];
  authorizationPolicyFile?: string;
  /** A kubeconfig of the core cluster that answers SubjectAccessReviews. */
  authorizationKubeconfig?: string;
  /** A kubeconfig whose server URL is a SubjectAccessReview webhook. */
  authorizationWebhookConfigFile?: string;
  authorizationWebhookCacheAuthorizedTTLMs: number;
  authorizationWebhookCacheUnauthorizedTTLMs: number;
  /** JSON lines of audit.k8s.io/v1 Events; `-` for standard output. */
  auditLogPath?: string;
  /** Default: every request at Metadata level. */
  auditPolicyFile?: string;
  auditLogMaxSize: number;
  auditLogMaxBackup: number;
  auditLogMaxAge: number;
  /** An EncryptionConfiguration: which resources are encrypted at rest, and how. */
  encryptionProviderConfig?: string;
  etcdServers: string[];
  etcdPrefix: string;
  etcdCAFile?: string;
  etcdCertFile?: string;
  etcdKeyFile?: string;
  etcdCompactionIntervalMs: number;
  etcdServersOverrides: string[];
  /** `<resource>.<group>=<group>/<version>` entries; see storage-versions.ts. */
  storageVersions: string[];
  watchCache: boolean;
  anonymousAuth: boolean;
  maxRequestsInFlight: number;
  maxMutatingRequestsInFlight: number;
  requestTimeoutMs: number;
  shutdownDelayMs: number;
  shutdownTimeoutMs: number;
  logLevel: string;
  /** Processes serving the port, each with its own watch cache, all on the same storage. */
  workers: number;
  /**
   * Served as an APIService behind a core cluster: only the server's own groups,
   * namespaces checked against the core cluster's.
   */
  aggregated: boolean;
  /** Sample groups to serve; empty = all. */
  groups: string[];
}

type FlagKind = 'string' | 'int' | 'bool' | 'duration' | 'list';

interface FlagSpec {
  kind: FlagKind;
  field: keyof ServerRunOptions;
  help: string;
}

export const FLAGS: Record<string, FlagSpec> = {
  'bind-address': { kind: 'string', field: 'bindAddress', help: 'address to serve on (default 127.0.0.1)' },
  'secure-port': { kind: 'int', field: 'securePort', help: 'HTTPS port (default 6443; 0 picks a free one)' },
  'data-dir': { kind: 'string', field: 'dataDir', help: 'SQLite database, certificates and admin.kubeconfig (default ./.apiserver-kit)' },
  'cert-dir': { kind: 'string', field: 'certDir', help: 'where generated certificates live (default <data-dir>/pki)' },
  'tls-cert-file': { kind: 'string', field: 'tlsCertFile', help: 'serving certificate (PEM); generated when absent' },
  'tls-private-key-file': { kind: 'string', field: 'tlsPrivateKeyFile', help: 'serving key (PEM)' },
  'client-ca-file': { kind: 'string', field: 'clientCAFile', help: 'CA bundle for client certificates (default: the generated CA)' },
  'tls-min-version': { kind: 'string', field: 'tlsMinVersion', help: 'VersionTLS12 or VersionTLS13' },
  'tls-cipher-suites': { kind: 'list', field: 'tlsCipherSuites', help: 'cipher suites for TLS 1.2, by IANA name (default: Node\'s)' },
  'token-auth-file': { kind: 'string', field: 'tokenAuthFile', help: 'bearer tokens: CSV of token,user,uid,"group1,group2"' },
  'requestheader-client-ca-file': { kind: 'string', field: 'requestHeaderClientCAFile', help: 'CA of the front proxy whose headers name the user' },
  'requestheader-allowed-names': { kind: 'list', field: 'requestHeaderAllowedNames', help: 'common names the front proxy certificate may have (default: any)' },
  'requestheader-username-headers': { kind: 'list', field: 'requestHeaderUsernameHeaders', help: 'headers naming the user (default X-Remote-User)' },
  'requestheader-group-headers': { kind: 'list', field: 'requestHeaderGroupHeaders', help: 'headers naming groups (default X-Remote-Group)' },
  'requestheader-extra-headers-prefix': { kind: 'list', field: 'requestHeaderExtraHeadersPrefix', help: 'prefixes of extra-information headers (default X-Remote-Extra-)' },
  'requestheader-uid-headers': { kind: 'list', field: 'requestHeaderUIDHeaders', help: 'headers carrying the user\'s UID (default X-Remote-Uid)' },
  'authentication-kubeconfig': { kind: 'string', field: 'authenticationKubeconfig', help: 'kubeconfig of the core cluster that reviews bearer tokens (TokenReview)' },
  'authentication-tolerate-lookup-failure': { kind: 'bool', field: 'authenticationTolerateLookupFailure', help: 'start even if the core cluster\'s authentication ConfigMap cannot be read (default false)' },
  'authentication-token-webhook-config-file': { kind: 'string', field: 'authenticationTokenWebhookConfigFile', help: 'kubeconfig whose server is a TokenReview webhook' },
  'authentication-token-webhook-cache-ttl': { kind: 'duration', field: 'authenticationTokenWebhookCacheTTLMs', help: 'how long token reviews are remembered (default 10s)' },
  'authorization-mode': { kind: 'list', field: 'authorizationMode', help: 'authorizers in order: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Webhook (default AlwaysAllow)' },
  'authorization-policy-file': { kind: 'string', field: 'authorizationPolicyFile', help: 'ABAC policies, one JSON object per line' },
  'authorization-kubeconfig': { kind: 'string', field: 'authorizationKubeconfig', help: 'kubeconfig of the core cluster that answers SubjectAccessReviews (mode Webhook)' },
  'authorization-webhook-config-file': { kind: 'string', field: 'authorizationWebhookConfigFile', help: 'kubeconfig whose server is a SubjectAccessReview webhook (mode Webhook)' },
  'authorization-webhook-cache-authorized-ttl': { kind: 'duration', field: 'authorizationWebhookCacheAuthorizedTTLMs', help: 'how long allowed answers are remembered (default 10s)' },
  'authorization-webhook-cache-unauthorized-ttl': { kind: 'duration', field: 'authorizationWebhookCacheUnauthorizedTTLMs', help: 'how long refusals are remembered (default 10s)' },
  'audit-log-path': { kind: 'string', field: 'auditLogPath', help: 'audit events as JSON lines to this file (- for stdout)' },
  'audit-policy-file': { kind: 'string', field: 'auditPolicyFile', help: 'audit.k8s.io/v1 Policy: levels and stages per request (default: Metadata for all)' },
  'audit-log-maxsize': { kind: 'int', field: 'auditLogMaxSize', help: 'megabytes before the audit log is rotated (default 0: never)' },
  'audit-log-maxbackup': { kind: 'int', field: 'auditLogMaxBackup', help: 'rotated audit logs kept (default 0: all)' },
  'audit-log-maxage': { kind: 'int', field: 'auditLogMaxAge', help: 'days rotated audit logs are kept (default 0: forever)' },
  'encryption-provider-config': { kind: 'string', field: 'encryptionProviderConfig', help: 'EncryptionConfiguration: resources encrypted at rest with aescbc, aesgcm or secretbox' },
  'etcd-servers': { kind: 'list', field: 'etcdServers', help: 'etcd endpoints; when set, etcd replaces the embedded SQLite store' },
  'etcd-prefix': { kind: 'string', field: 'etcdPrefix', help: 'key prefix (default /registry)' },
  'etcd-cafile': { kind: 'string', field: 'etcdCAFile', help: 'CA that signs the etcd server certificate' },
  'etcd-certfile': { kind: 'string', field: 'etcdCertFile', help: 'client certificate for etcd' },
  'etcd-keyfile': { kind: 'string', field: 'etcdKeyFile', help: 'client key for etcd' },
  'etcd-compaction-interval': { kind: 'duration', field: 'etcdCompactionIntervalMs', help: 'how often to compact etcd (default 5m; 0 disables)' },
  'etcd-servers-overrides': { kind: 'list', field: 'etcdServersOverrides', help: 'per-resource etcd servers: group/resource#servers;servers' },
  'storage-version': { kind: 'list', field: 'storageVersions', help: 'per-resource version to write objects in: <resource>.<group>=<group>/<version>' },
  'watch-cache': { kind: 'bool', field: 'watchCache', help: 'serve reads and watches from memory (default true)' },
  'anonymous-auth': { kind: 'bool', field: 'anonymousAuth', help: 'let requests without credentials in as system:anonymous (default false)' },
  'max-requests-inflight': { kind: 'int', field: 'maxRequestsInFlight', help: 'concurrent read-only requests (default 400; 0 = no limit)' },
  'max-mutating-requests-inflight': { kind: 'int', field: 'maxMutatingRequestsInFlight', help: 'concurrent mutating requests (default 200)' },
  'request-timeout': { kind: 'duration', field: 'requestTimeoutMs', help: 'time limit of non-watch requests (default 1m)' },
  'shutdown-delay-duration': { kind: 'duration', field: 'shutdownDelayMs', help: 'time the server keeps serving on shutdown with /readyz failing, for load balancers to notice (default 0)' },
  'shutdown-timeout': { kind: 'duration', field: 'shutdownTimeoutMs', help: 'time in-flight requests get on shutdown, after the delay (default 10s)' },
  workers: { kind: 'int', field: 'workers', help: 'processes sharing the port, each with its own cache (default 1)' },
  'log-level': { kind: 'string', field: 'logLevel', help: 'trace, debug, info, warn or error (default info)' },
  aggregated: { kind: 'bool', field: 'aggregated', help: 'run behind a core cluster: only own groups, its namespaces (needs --authentication-kubeconfig or --authorization-kubeconfig)' },
  groups: { kind: 'list', field: 'groups', help: 'API groups to serve (default: all)' },
};

export function defaultRunOptions(dataDir = '.apiserver-kit'): ServerRunOptions {
  return {
    bindAddress: '127.0.0.1',
    securePort: 6443,
    dataDir,
    certDir: path.join(dataDir, 'pki'),
    tlsMinVersion: 'TLSv1.2',
    tlsCipherSuites: [],
    requestHeaderAllowedNames: [],
    requestHeaderUsernameHeaders: ['X-Remote-User'],
    requestHeaderGroupHeaders: ['X-Remote-Group'],
    requestHeaderExtraHeadersPrefix: ['X-Remote-Extra-'],
    requestHeaderUIDHeaders: ['X-Remote-Uid'],
    authenticationTolerateLookupFailure: false,
    authenticationTokenWebhookCacheTTLMs: 10_000,
    authorizationMode: ['AlwaysAllow'],
    authorizationWebhookCacheAuthorizedTTLMs: 10_000,
    authorizationWebhookCacheUnauthorizedTTLMs: 10_000,
    auditLogMaxSize: 0,
    auditLogMaxBackup: 0,
    auditLogMaxAge: 0,
    etcdServers: [],
    etcdPrefix: '/registry',
    etcdCompactionIntervalMs: 5 * 60_000,
    etcdServersOverrides: [],
    storageVersions: [],
    watchCache: true,
    anonymousAuth: false,
    maxRequestsInFlight: 400,
    maxMutatingRequestsInFlight: 200,
    requestTimeoutMs: 60_000,
    shutdownDelayMs: 0,
    shutdownTimeoutMs: 10_000,
    logLevel: 'info',
    workers: 1,
    aggregated: false,
    groups: [],
  };
}

/** Go-style durations: 90s, 5m, 1h30m, 250ms; a bare number is seconds. */
export function parseDuration(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(text))) {
    total += Number(match[1]) * units[match[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || text.length === 0) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return total;
}

function convert(name: string, spec: FlagSpec, raw: string): unknown {
  switch (spec.kind) {
    case 'string':
      if (spec.field === 'tlsMinVersion') {
        const versions: Record<string, string> = { VersionTLS12: 'TLSv1.2', VersionTLS13: 'TLSv1.3' };
        if (!versions[raw]) throw new Error(`--${name} must be VersionTLS12 or VersionTLS13`);
        return versions[raw];
      }
      return raw;
    case 'int':
      if (!/^\d+$/.test(raw)) throw new Error(`--${name} needs a non-negative integer, got ${JSON.stringify(raw)}`);
      return Number(raw);
    case 'bool':
      if (raw !== 'true' && raw !== 'false') throw new Error(`--${name} is true or false, got ${JSON.stringify(raw)}`);
      return raw === 'true';
    case 'duration':
      return parseDuration(raw);
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
  }
}

/** Parses `--flag=value`, `--flag value` and bare boolean `--flag`. Throws on unknown flags. */
export function parseRunOptions(argv: string[]): ServerRunOptions {
  const given: Partial<Record<keyof ServerRunOptions, unknown>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = FLAGS[name];
    if (!spec) throw new Error(`unknown flag: --${name}`);
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (spec.kind === 'bool') raw = 'true';
    else if (i + 1 < argv.length) raw = argv[++i];
    else throw new Error(`flag needs an argument: --${name}`);
    given[spec.field] = convert(name, spec, raw);
  }
  const options = defaultRunOptions((given.dataDir as string | undefined) ?? undefined);
  Object.assign(options, given);
  if (given.certDir === undefined) options.certDir = path.join(options.dataDir, 'pki');
  if (options.workers < 1) throw new Error('--workers needs at least 1');
  return options;
}

export function flagHelp(): string {
  return Object.entries(FLAGS)
    .map(([name, spec]) => `  --${name.padEnd(32)} ${spec.help}`)
    .join('\n');
}
