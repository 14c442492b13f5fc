/**
 * ConfigMaps as a group definition a server adds to its core group
 * (`/api/v1/namespaces/{ns}/configmaps`): a core cluster serves them so that
 * aggregated servers can read `kube-system/extension-apiserver-authentication`.
 */
import { Store } from '../../registry/store';
import type { APIGroupDefinition } from '../../server/apiserver-builder';
import { configMapStrategy } from './strategy';
import { ConfigMap, ConfigMapV1 } from './types';

/** The name of the definition (for --groups). */
export const CONFIG_MAPS = 'configmaps';

export function configMapGroup(): APIGroupDefinition {
  return {
    name: CONFIG_MAPS,
    install(ctx) {
      ctx.scheme.addKnownTypes(ConfigMap, ConfigMapV1);
      const resource = ctx.scheme.resourceInfo({ group: '', version: 'v1', resource: 'configmaps' });
      if (!resource) throw new Error('the ConfigMap type did not register');
      const configmaps = new Store<ConfigMap>({
        scheme: ctx.scheme,
        resource,
        storage: ctx.storageFor({ group: '', resource: 'configmaps' }),
        strategy: configMapStrategy,
        admission: ctx.admission,
      });
      return [{ group: '', scheme: ctx.scheme, versionedResources: { v1: { configmaps: configmaps as Store } } }];
    },
  };
}
