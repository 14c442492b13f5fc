/**
 * The workloads sample as a server serves it: two groups, apps.example.com
 * (v1, v1beta2) and extensions.example.com (v1beta1), each selectable with
 * --groups, both serving the one Deployment storage. A server that serves only
 * extensions.example.com plays an older release; one that serves only
 * apps.example.com a newer one (see examples/version-fusion).
 */
import type { APIGroupDefinition, GroupInstallContext, StorageInterface } from '../../index';
import { DEPLOYMENTS, installDeploymentGroup } from '../../registry/workloads/install';
import { install } from './install';
import { APPS_GROUP, EXTENSIONS_GROUP } from './types';

export function workloadsGroups(): APIGroupDefinition[] {
  // Whichever group a server installs first sets up what both share in that server.
  const deploymentStorage = new WeakMap<GroupInstallContext, StorageInterface>();
  const sharedStorage = (ctx: GroupInstallContext): StorageInterface => {
    let storage = deploymentStorage.get(ctx);
    if (!storage) {
      install(ctx.scheme);
      storage = ctx.storageFor(DEPLOYMENTS);
      deploymentStorage.set(ctx, storage);
    }
    return storage;
  };
  return [APPS_GROUP, EXTENSIONS_GROUP].map((group) => ({
    name: group,
    install: (ctx: GroupInstallContext) => [installDeploymentGroup(ctx, group, sharedStorage(ctx))],
  }));
}
