/** The registry Store of one federation resource, wired like every other. */
import { Store, type GroupInstallContext, type KubeObject, type RESTStrategy } from '../../index';
import { VERSION } from '../../apis/federation/types';

export function newFederationStore<T extends KubeObject>(ctx: GroupInstallContext, group: string, plural: string, strategy?: RESTStrategy<T>): Store<T> {
  const resource = ctx.scheme.resourceInfo({ group, version: VERSION, resource: plural });
  if (!resource) throw new Error(`${plural}.${group} is not in the scheme; install the group's types first`);
  return new Store<T>({ scheme: ctx.scheme, resource, storage: ctx.storageFor({ group, resource: plural }), strategy, admission: ctx.admission });
}
