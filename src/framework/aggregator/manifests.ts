/**
 * What it takes to run a server built with the framework as an aggregated
 * APIService in a cluster, as kubectl-appliable objects: its Namespace,
 * ServiceAccount, the RBAC every extension server needs (auth-delegator, the
 * extension-apiserver-authentication reader in kube-system, namespaces to read),
 * a TLS Secret, Deployment, Service, and one APIService per group/version whose
 * caBundle verifies the serving certificate.
 */
import pino from 'pino';
import YAML from 'yaml';
import { AdmissionChain } from '../admission/interfaces';
import { Scheme } from '../runtime';
import type { APIGroupDefinition } from '../server/apiserver-builder';
import { CA_VALIDITY_DAYS, createCertificate, LEAF_VALIDITY_DAYS, type CertKeyPair } from '../server/pki/create-certificate';
import type { StorageInterface } from '../storage/interface';
import { APIREGISTRATION_GROUP } from './apiservice-types';

export interface ManifestOptions {
  /** Name of the ServiceAccount, Deployment, Service and RBAC objects. */
  name: string;
  namespace: string;
  image: string;
  /** Group/versions to register, each group's versions preferred first. */
  groupVersions: { group: string; versions: string[] }[];
  replicas?: number;
  /** Arguments after `serve` (e.g. --etcd-servers); the serving flags are set already. */
  serverArgs?: string[];
  /** The serving CA and certificate; generated (for `<name>.<namespace>.svc`) when absent. */
  tls?: { ca: CertKeyPair; serving: CertKeyPair };
}

const SERVING_PORT = 8443;
const TLS_DIR = '/etc/apiserver-kit/tls';

/** The group/versions the given groups serve, found by installing them into a scratch Scheme (no storage is touched). */
export function servedGroupVersions(groups: APIGroupDefinition[]): { group: string; versions: string[] }[] {
  const scheme = new Scheme();
  const unused = new Proxy({} as StorageInterface, {
    get: () => () => {
      throw new Error('storage is not available while listing group versions');
    },
  });
  const ctx = { scheme, storageFor: () => unused, admission: new AdmissionChain(), logger: pino({ level: 'silent' }) };
  const served = new Map<string, Set<string>>();
  for (const info of groups.flatMap((g) => g.install(ctx))) {
    const versions = served.get(info.group) ?? new Set<string>();
    for (const version of Object.keys(info.versionedResources)) versions.add(version);
    served.set(info.group, versions);
  }
  return scheme
    .groups()
    .filter((g) => g.group !== '' && served.has(g.group))
    .map((g) => ({ group: g.group, versions: g.versions.filter((v) => served.get(g.group)!.has(v)) }));
}

/** A serving CA and a certificate for the service's cluster DNS names. */
export async function generateServingTLS(name: string, namespace: string): Promise<{ ca: CertKeyPair; serving: CertKeyPair }> {
  const ca = await createCertificate({ usage: 'ca', commonName: `${name}-ca`, validDays: CA_VALIDITY_DAYS });
  const hosts = [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
  const serving = await createCertificate({ usage: 'server', commonName: `${name}.${namespace}.svc`, hosts, validDays: LEAF_VALIDITY_DAYS }, ca);
  return { ca, serving };
}

export function deploymentManifests(o: ManifestOptions & { tls: { ca: CertKeyPair; serving: CertKeyPair } }): object[] {
  const labels = { app: o.name };
  const subject = [{ kind: 'ServiceAccount', name: o.name, namespace: o.namespace }];
  const caBundle = Buffer.from(o.tls.ca.certPem).toString('base64');
  const apiServices = o.groupVersions.flatMap(({ group, versions }) =>
    versions.map((version, i) => ({
      apiVersion: `${APIREGISTRATION_GROUP}/v1`,
      kind: 'APIService',
      metadata: { name: `${version}.${group}`, labels },
      spec: {
        group,
        version,
        service: { namespace: o.namespace, name: o.name, port: 443 },
        caBundle,
        groupPriorityMinimum: 1000,
        // The group's preferred version first, as kube orders versions of equal priority.
        versionPriority: Math.max(15 - i, 1),
      },
    })),
  );
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: o.name, namespace: o.namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${o.name}:system:auth-delegator` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: subject,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${o.name}-auth-reader`, namespace: 'kube-system' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects: subject,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: o.name },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: o.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: o.name },
      subjects: subject,
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: `${o.name}-serving`, namespace: o.namespace },
      data: {
        'tls.crt': Buffer.from(o.tls.serving.certPem).toString('base64'),
        'tls.key': Buffer.from(o.tls.serving.keyPem).toString('base64'),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: o.name, namespace: o.namespace, labels },
      spec: {
        replicas: o.replicas ?? 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: o.name,
            containers: [
              {
                name: 'apiserver',
                image: o.image,
                args: [
                  'serve',
                  // Its front proxy, client CA and namespaces from the cluster (in-cluster service account); every decision the cluster's.
                  '--aggregated',
                  '--authorization-mode=Webhook',
                  `--secure-port=${SERVING_PORT}`,
                  '--bind-address=0.0.0.0',
                  `--tls-cert-file=${TLS_DIR}/tls.crt`,
                  `--tls-private-key-file=${TLS_DIR}/tls.key`,
                  '--data-dir=/var/lib/apiserver-kit',
                  ...(o.serverArgs ?? []),
                ],
                ports: [{ name: 'https', containerPort: SERVING_PORT }],
                readinessProbe: { httpGet: { path: '/readyz', port: SERVING_PORT, scheme: 'HTTPS' } },
                livenessProbe: { httpGet: { path: '/livez', port: SERVING_PORT, scheme: 'HTTPS' }, initialDelaySeconds: 10 },
                volumeMounts: [
                  { name: 'serving', mountPath: TLS_DIR, readOnly: true },
                  { name: 'data', mountPath: '/var/lib/apiserver-kit' },
                ],
              },
            ],
            volumes: [
              { name: 'serving', secret: { secretName: `${o.name}-serving` } },
              { name: 'data', emptyDir: {} },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: o.name, namespace: o.namespace, labels },
      spec: { selector: labels, ports: [{ name: 'https', port: 443, targetPort: SERVING_PORT }] },
    },
    ...apiServices,
  ];
}

/** The objects as one YAML stream, documents separated by `---`. */
export function manifestsYAML(objects: object[]): string {
  return objects.map((obj) => YAML.stringify(obj, { aliasDuplicateObjects: false })).join('---\n');
}

export const MANIFESTS_USAGE = `Usage: apiserver-kit manifests [flags]

Prints the YAML to deploy the server into a cluster as an aggregated APIService:
Namespace, ServiceAccount, RBAC, a serving certificate Secret, Deployment,
Service and one APIService per group/version. Apply with kubectl apply -f -.

Flags:
  --name <name>             name of the Deployment, Service and RBAC objects (default apiserver-kit)
  --namespace <namespace>   namespace to run in (default apiserver-kit)
  --image <image>           container image built from the Dockerfile (default apiserver-kit:latest)
  --groups <a,b>            sample groups to register (default all)
  --replicas <n>            Deployment replicas (default 1)
  --server-arg <flag>       an extra flag for serve, e.g. --server-arg=--etcd-servers=https://etcd:2379 (repeatable)
`;

export interface ManifestsArgs {
  name: string;
  namespace: string;
  image: string;
  groups: string[];
  replicas: number;
  serverArgs: string[];
}

export function parseManifestsArgs(argv: string[]): ManifestsArgs {
  const args: ManifestsArgs = { name: 'apiserver-kit', namespace: 'apiserver-kit', image: 'apiserver-kit:latest', groups: [], replicas: 1, serverArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`flag ${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--name': args.name = value(); break;
      case '--namespace': args.namespace = value(); break;
      case '--image': args.image = value(); break;
      case '--groups': args.groups = value().split(',').filter(Boolean); break;
      case '--replicas': args.replicas = Number(value()); break;
      case '--server-arg': args.serverArgs.push(value()); break;
      default: throw new Error(`unknown flag ${flag}\n\n${MANIFESTS_USAGE}`);
    }
  }
  if (!Number.isInteger(args.replicas) || args.replicas < 1) throw new Error('--replicas must be a positive integer');
  return args;
}
