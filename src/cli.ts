#!/usr/bin/env node
/**
 * `apiserver-kit serve [flags]`: the standalone server with every sample group
 * (select with --groups), on the embedded store unless --etcd-servers is given.
 * `apiserver-kit migrate-storage <resource>.<group> ...`: rewrites stored objects
 * in the server's current storage version.
 * `apiserver-kit manifests [flags]`: the YAML to run the server in a cluster as an
 * aggregated APIService.
 * `apiserver-kit aggregator [flags]`: a core cluster in front of such servers.
 */
import 'reflect-metadata';
import {
  APIServerBuilder,
  ensureFrontProxyCertificates,
  flagHelp,
  formatMigrationProgress,
  loadClientConfig,
  migrateStorage,
  MIGRATE_STORAGE_USAGE,
  parseMigrateStorageArgs,
  parseRunOptions,
  RESTClient,
  serveUntilStopped,
  type StorageMigrationProgress,
} from './index';
import {
  coreClusterGroups,
  deploymentManifests,
  generateServingTLS,
  MANIFESTS_USAGE,
  manifestsYAML,
  parseCoreClusterArgs,
  parseManifestsArgs,
  servedGroupVersions,
} from './framework/aggregator';
import { sampleGroups } from './apis';
import { nginxControllerFlagHelp, takeNginxControllerFlags } from './controllers/nginx/flags';

const USAGE = `Usage: apiserver-kit serve [flags]
       apiserver-kit migrate-storage [flags] <resource>.<group> ...   (see migrate-storage --help)
       apiserver-kit manifests [flags]   (see manifests --help)
       apiserver-kit aggregator [flags] [--service-endpoint <namespace>/<name>=<host>:<port> ...]
           a core cluster that proxies APIServices (RBAC unless --authorization-mode is given);
           services not listed are dialled by cluster DNS name

Flags:
${flagHelp()}
${nginxControllerFlagHelp()}
`;

async function serve(argv: string[]): Promise<void> {
  const { flags: nginxController, rest } = takeNginxControllerFlags(argv);
  await serveUntilStopped(parseRunOptions(rest), () => {
    const builder = new APIServerBuilder();
    for (const group of sampleGroups({ nginxController })) builder.withGroup(group);
    return builder;
  });
}

/**
 * A small core cluster: namespaces, ConfigMaps with the authentication settings
 * for aggregated servers, token and access reviews, RBAC and APIServices,
 * proxying each registered group/version to the server behind its service.
 */
async function aggregator(argv: string[]): Promise<void> {
  const { options, serviceResolver } = parseCoreClusterArgs(argv);
  const build = () => {
    const builder = new APIServerBuilder();
    for (const group of coreClusterGroups({ certDir: options.certDir, clientCAFile: options.clientCAFile, serviceResolver })) builder.withGroup(group);
    return builder;
  };
  // With --workers, the primary makes the front-proxy credentials once, before any worker would.
  await serveUntilStopped(options, build, { beforeWorkers: () => ensureFrontProxyCertificates(options.certDir) });
}

/** Progress on stderr as it goes, one summary line per resource on stdout; exit 1 when the server refused any write. */
async function migrate(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(MIGRATE_STORAGE_USAGE);
    return;
  }
  const args = parseMigrateStorageArgs(argv);
  const rest = new RESTClient(loadClientConfig(args.kubeconfig));
  try {
    const onProgress = (p: StorageMigrationProgress) => process.stderr.write(`${formatMigrationProgress(p)}\n`);
    for (const resource of args.resources) {
      const result = await migrateStorage(rest, resource, { pageSize: args.pageSize, onProgress });
      for (const f of result.failures) process.stderr.write(`${result.resource} ${f.namespace ? `${f.namespace}/` : ''}${f.name}: ${f.message}\n`);
      process.stdout.write(`${formatMigrationProgress(result)}: done\n`);
      if (result.failures.length > 0) process.exitCode = 1;
    }
  } finally {
    rest.close();
  }
}

/** The deployment YAML on stdout, for the sample groups selected with --groups. */
async function manifests(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(MANIFESTS_USAGE);
    return;
  }
  const args = parseManifestsArgs(argv);
  const groups = sampleGroups().filter((g) => args.groups.length === 0 || args.groups.includes(g.name));
  const unknown = args.groups.filter((name) => !groups.some((g) => g.name === name));
  if (unknown.length > 0) throw new Error(`--groups names no such group: ${unknown.join(', ')}`);
  const serverArgs = args.groups.length > 0 ? [`--groups=${args.groups.join(',')}`, ...args.serverArgs] : args.serverArgs;
  const objects = deploymentManifests({
    ...args,
    serverArgs,
    groupVersions: servedGroupVersions(groups),
    tls: await generateServingTLS(args.name, args.namespace),
  });
  process.stdout.write(manifestsYAML(objects));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === 'migrate-storage') return migrate(rest);
  if (command === 'manifests') return manifests(rest);
  if (command === 'aggregator') return aggregator(rest);
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  throw new Error(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`apiserver-kit: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
