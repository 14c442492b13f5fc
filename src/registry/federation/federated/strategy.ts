/**
 * The behaviour of every Federated<Kind>: the template may not name the member
 * object, and, when the target is known, may only be of its kind; placements
 * and overrides well formed. A FederatedNamespace is named as its namespace.
 */
import type { RESTStrategy } from '../../../index';
import type { FederatedObject } from '../../../apis/federation/federated-types';
import { validateFederatedNamespaceName, validateFederatedSpec } from '../../../apis/federation/validation';

/** What a template must be: its apiVersion and kind, when set. */
export interface TemplateKind {
  apiVersion: string;
  kind: string;
}

/** `target` is read on every write: the type's configuration may be recreated meanwhile. */
export function federatedStrategy(target: () => TemplateKind | undefined): RESTStrategy<FederatedObject> {
  return {
    validate: (_ctx, obj) => validateFederatedSpec(obj.spec, target()),
    validateUpdate: (_ctx, obj) => validateFederatedSpec(obj.spec, target()),
  };
}

export const federatedNamespaceStrategy: RESTStrategy<FederatedObject> = {
  validate: (_ctx, obj) => [...validateFederatedNamespaceName(obj.metadata.name, obj.metadata.namespace), ...validateFederatedSpec(obj.spec, NAMESPACE_TEMPLATE)],
  validateUpdate: (_ctx, obj) => validateFederatedSpec(obj.spec, NAMESPACE_TEMPLATE),
};

const NAMESPACE_TEMPLATE: TemplateKind = { apiVersion: 'v1', kind: 'Namespace' };
