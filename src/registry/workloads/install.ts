/**
 * The APIGroupInfo of one group that serves Deployments (apps.example.com or
 * extensions.example.com): a Store per version, with its status and scale
 * subresources, over the storage every group's Deployments share.
 */
import type { APIGroupInfo, GroupInstallContext, GroupResource, StorageInterface, Store } from '../../index';
import { APPS_GROUP } from '../../apis/workloads/types';
import { newDeploymentStore } from './deployment/storage';

/** Where Deployments are stored, whichever group they are written through (and what --etcd-servers-overrides names). */
export const DEPLOYMENTS: GroupResource = { group: APPS_GROUP, resource: 'deployments' };

export function installDeploymentGroup(ctx: GroupInstallContext, group: string, storage: StorageInterface): APIGroupInfo {
  const versions = ctx.scheme.groups().find((g) => g.group === group)?.versions ?? [];
  if (versions.length === 0) throw new Error(`${group} has no versions in the scheme; install the workloads types first`);
  const versionedResources: Record<string, Record<string, Store>> = {};
  for (const version of versions) {
    const store = newDeploymentStore(ctx, storage, { group, version });
    versionedResources[version] = { deployments: store, 'deployments/status': store, 'deployments/scale': store };
  }
  return { group, scheme: ctx.scheme, versionedResources };
}
