/**
 * An APIService for every group/version the aggregator serves itself (no service:
 * Local), as kube-aggregator's autoregistration keeps them, so `kubectl get
 * apiservices` lists the whole API and not only the proxied part.
 */
import { INTERNAL_VERSION } from '../api';
import { newRequestContext } from '../registry/context';
import type { Store } from '../registry/store';
import type { Scheme } from '../runtime';
import type { InstalledGroup } from '../server/discovery';
import { APIREGISTRATION_GROUP, type APIService } from './apiservice-types';

/** The core group first, as kube orders it; every other local group after it. */
const CORE_GROUP_PRIORITY = 18000;
const LOCAL_GROUP_PRIORITY = 17000;

/** Creates the missing Local APIServices; existing ones are left as they are. */
export async function registerLocalAPIServices(store: Store<APIService>, scheme: Scheme, groups: InstalledGroup[]): Promise<void> {
  for (const g of groups) {
    for (const [i, version] of g.versions.entries()) {
      const obj = scheme.newObject({ group: APIREGISTRATION_GROUP, version: INTERNAL_VERSION, kind: 'APIService' }) as APIService;
      obj.metadata = { name: `${version}.${g.group}` } as APIService['metadata'];
      obj.spec = { group: g.group, version, groupPriorityMinimum: g.group === '' ? CORE_GROUP_PRIORITY : LOCAL_GROUP_PRIORITY, versionPriority: Math.max(15 - i, 1) };
      await store.create(newRequestContext(), obj).catch((err: { reason?: string }) => {
        if (err.reason !== 'AlreadyExists') throw err;
      });
    }
  }
}
