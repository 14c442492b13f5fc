/** The registry Store of one nginx.example.com resource, wired like every other. */
import { Store, type GroupInstallContext, type KubeObject, type RESTStrategy } from '../../index';
import { GROUP } from '../../apis/nginx/types';

export function newNginxStore<T extends KubeObject>(ctx: GroupInstallContext, plural: string, strategy: RESTStrategy<T>): Store<T> {
  const resource = ctx.scheme.resourceInfo({ group: GROUP, version: 'v1', resource: plural });
  if (!resource) throw new Error(`${plural}.${GROUP} is not in the scheme; install the group's types first`);
  return new Store<T>({
    scheme: ctx.scheme,
    resource,
    storage: ctx.storageFor({ group: GROUP, resource: plural }),
    strategy,
    admission: ctx.admission,
  });
}
