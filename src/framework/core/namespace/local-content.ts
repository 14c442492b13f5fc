/**
 * The server's own namespaced content: every namespaced resource it serves that
 * can be listed and deleted as a collection (not virtual ones such as access
 * reviews), each Store once however many versions serve it.
 */
import { newRequestContext } from '../../registry/context';
import type { Store } from '../../registry/store';
import type { GenericAPIServer } from '../../server/generic-apiserver';
import type { NamespacedContent, NamespacedContentSource } from './content';

export function localNamespacedContent(server: GenericAPIServer): NamespacedContentSource {
  return async () => {
    const byStore = new Map<Store, NamespacedContent>();
    for (const r of server.installedResources()) {
      if (!r.info.namespaced || !r.verbs.includes('list') || !r.verbs.includes('deletecollection') || byStore.has(r.store)) continue;
      byStore.set(r.store, storeContent(r.store, { group: r.info.gvk.group, version: r.info.gvk.version, resource: r.info.plural }));
    }
    return { resources: [...byStore.values()], failedGroups: new Map() };
  };
}

function storeContent(store: Store, resource: NamespacedContent['resource']): NamespacedContent {
  return {
    resource,
    async deleteAll(namespace) {
      await store.deleteCollection(newRequestContext({ namespace }), {}, { propagationPolicy: 'Background' });
    },
    async remaining(namespace) {
      const { items } = await store.list(newRequestContext({ namespace }), {});
      return items.map((item) => (item.metadata.finalizers as string[] | undefined) ?? []);
    },
  };
}
