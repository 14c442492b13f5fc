/**
 * The Federated<Kind> types a FederatedTypeConfig asks for, made at run time
 * exactly as if they were declared: a hub class and a v1alpha1 class in
 * types.federation.example.com, decorated by calling the decorators.
 */
import { Hub, Resource, type Class } from '../../index';
import { FederatedObject } from './federated-types';
import { FEDERATED_OBJECT_COLUMNS } from './printer-columns';
import { TYPES_GROUP, VERSION, type TargetType } from './types';

/** The names a federated type is served under. */
export interface FederatedKind {
  kind: string;
  plural: string;
  namespaced: boolean;
}

export function federatedKindOf(target: Pick<TargetType, 'kind' | 'plural' | 'scope'>): FederatedKind {
  return { kind: `Federated${target.kind}`, plural: `federated${target.plural}`, namespaced: target.scope === 'Namespaced' };
}

function named<C extends Class>(cls: C, name: string): C {
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

/** Fresh classes for a federated kind; register them in a Scheme once (the Scheme refuses a second pair of the same kind). */
export function federatedKindClasses(federated: FederatedKind): { hub: Class<FederatedObject>; versioned: Class<FederatedObject> } {
  const hub = named(class extends FederatedObject {}, federated.kind);
  Hub({ group: TYPES_GROUP, kind: federated.kind })(hub);
  const versioned = named(class extends hub {}, `${federated.kind}V1alpha1`);
  Resource({
    group: TYPES_GROUP,
    version: VERSION,
    kind: federated.kind,
    plural: federated.plural,
    scope: federated.namespaced ? 'Namespaced' : 'Cluster',
    categories: ['federation', 'federated'],
    subresources: { status: true },
    printerColumns: FEDERATED_OBJECT_COLUMNS,
    description: `A ${federated.kind.slice('Federated'.length)} propagated to member clusters: a template, a placement and per-cluster overrides.`,
  })(versioned);
  return { hub, versioned };
}
