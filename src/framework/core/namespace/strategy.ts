/** How namespaces behave on create and update (kube's namespace strategy). */
import { isDNS1123Label } from '../../api';
import type { RESTStrategy } from '../../registry/strategy';
import { NAMESPACE_FINALIZER, Namespace, NamespaceSpec, NamespaceStatus } from './types';

export const namespaceStrategy: RESTStrategy<Namespace> = {
  prepareForCreate(_ctx, ns) {
    ns.spec ??= new NamespaceSpec();
    const finalizers = new Set(ns.spec.finalizers ?? []);
    finalizers.add(NAMESPACE_FINALIZER);
    ns.spec.finalizers = [...finalizers];
    ns.status = Object.assign(new NamespaceStatus(), { phase: 'Active' as const });
  },
  prepareForUpdate(_ctx, ns, old) {
    // spec.finalizers change only through /finalize (the namespace controller).
    ns.spec = Object.assign(new NamespaceSpec(), ns.spec, { finalizers: old.spec?.finalizers });
  },
  validateName: isDNS1123Label,
};
