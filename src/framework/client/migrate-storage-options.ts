/**
 * The command line of `apiserver-kit migrate-storage`: which resources, through
 * which kubeconfig, in pages of what size.
 */
import type { GroupResource } from '../api/status';

export interface MigrateStorageArgs {
  kubeconfig: string;
  pageSize?: number;
  resources: GroupResource[];
}

export const MIGRATE_STORAGE_USAGE = `Usage: apiserver-kit migrate-storage [flags] <resource>.<group> ...

Writes every object of each resource back through the API server, unchanged, so
that the server stores it in its current storage version (serve --storage-version).
Objects stay readable in every served version throughout.

Flags:
  --kubeconfig <file>   the server and credentials (default: $KUBECONFIG, else .apiserver-kit/admin.kubeconfig)
  --page-size <n>       objects per list request (default 500)
`;

const DEFAULT_KUBECONFIG = '.apiserver-kit/admin.kubeconfig';

/** `deployments.apps.example.com` → {group: 'apps.example.com', resource: 'deployments'}; `namespaces` → core. */
export function parseGroupResource(text: string): GroupResource {
  const dot = text.indexOf('.');
  const gr = dot < 0 ? { group: '', resource: text } : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
  if (!/^[a-z0-9-]+$/.test(gr.resource) || !/^[a-z0-9.-]*$/.test(gr.group)) throw new Error(`not a resource: ${JSON.stringify(text)} (expected <resource>.<group>)`);
  return gr;
}

export function parseMigrateStorageArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): MigrateStorageArgs {
  const args: MigrateStorageArgs = { kubeconfig: env.KUBECONFIG || DEFAULT_KUBECONFIG, resources: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      args.resources.push(parseGroupResource(arg));
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (name !== 'kubeconfig' && name !== 'page-size') throw new Error(`unknown flag: --${name}`);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new Error(`flag needs an argument: --${name}`);
    if (name === 'kubeconfig') {
      args.kubeconfig = value;
    } else {
      if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`--page-size needs a positive integer, got ${JSON.stringify(value)}`);
      args.pageSize = Number(value);
    }
  }
  if (args.resources.length === 0) throw new Error('name at least one resource to migrate, e.g. deployments.apps.example.com');
  return args;
}
