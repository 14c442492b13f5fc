import type { Store } from '../registry/store';
import type { GenericAPIServer } from '../server/generic-apiserver';

/** The Store a server serves a resource from (any version), if it serves it. */
export function installedStore(server: GenericAPIServer, group: string, plural: string): Store | undefined {
  return server.installedResources().find((r) => r.info.gvk.group === group && r.info.plural === plural)?.store;
}
