/**
 * The Deployment Store of one served version. Every version's Store works on the
 * same storage (one key space below apps.example.com/deployments); they differ
 * only in their strategy and in the group their errors name.
 */
import { apiVersionOf, Store, type GroupInstallContext, type GroupVersion, type StorageInterface } from '../../../index';
import type { Deployment } from '../../../apis/workloads/types';
import { deploymentStrategyFor } from './strategy';

export function newDeploymentStore(ctx: GroupInstallContext, storage: StorageInterface, gv: GroupVersion): Store<Deployment> {
  const resource = ctx.scheme.resourceInfo({ ...gv, resource: 'deployments' });
  if (!resource) throw new Error(`deployments in ${apiVersionOf(gv)} is not in the scheme; install the workloads types first`);
  return new Store<Deployment>({
    scheme: ctx.scheme,
    resource,
    storage,
    strategy: deploymentStrategyFor(apiVersionOf(gv)),
    admission: ctx.admission,
  });
}
