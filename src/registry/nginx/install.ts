/**
 * The APIGroupInfo of nginx.example.com: its types in the server's Scheme and one
 * Store per resource, each served (with its status subresource) in v1 and v1beta1.
 */
import type { APIGroupInfo, GroupInstallContext, Store } from '../../index';
import { install } from '../../apis/nginx/install';
import { GROUP } from '../../apis/nginx/types';
import { newEndpointStore } from './endpoint/storage';
import { newUpstreamStore } from './upstream/storage';
import { newVirtualServerStore } from './virtualserver/storage';

export function installNginxGroup(ctx: GroupInstallContext): APIGroupInfo {
  install(ctx.scheme);
  const stores: Record<string, Store> = {
    upstreams: newUpstreamStore(ctx),
    endpoints: newEndpointStore(ctx),
    virtualservers: newVirtualServerStore(ctx),
  };
  const resources: Record<string, Store> = {};
  for (const [plural, store] of Object.entries(stores)) {
    resources[plural] = store;
    resources[`${plural}/status`] = store;
  }
  return { group: GROUP, scheme: ctx.scheme, versionedResources: { v1: resources, v1beta1: resources } };
}
