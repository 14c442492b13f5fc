/**
 * NamespaceLifecycle admission, as in kube-apiserver: nothing is created in a
 * namespace that does not exist (404) or is being deleted (403), and the system
 * namespaces cannot be deleted. The namespaces are the server's own, or, behind
 * a core cluster, the core cluster's.
 */
import type { ObjectMeta } from '../../api/meta';
import { StatusError } from '../../api/status';
import type { AdmissionAttributes, AdmissionOperation, ValidatingAdmissionPlugin } from '../../admission/interfaces';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** Where NamespaceLifecycle finds namespaces. */
export interface NamespaceLookup {
  /**
   * The namespace's metadata, as fresh as a create needs: one created a moment
   * ago is found. Rejects with NotFound `namespaces "<name>" not found` when
   * there is no such namespace.
   */
  lookupNamespace(name: string): Promise<ObjectMeta>;
}

function isNamespace(attrs: AdmissionAttributes): boolean {
  return attrs.kind.group === '' && attrs.kind.kind === 'Namespace';
}

export class NamespaceLifecycle implements ValidatingAdmissionPlugin {
  readonly name = 'NamespaceLifecycle';

  constructor(private readonly namespaces: NamespaceLookup) {}

  handles(operation: AdmissionOperation): boolean {
    return operation === 'CREATE' || operation === 'DELETE';
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.operation === 'DELETE') {
      if (isNamespace(attrs) && IMMORTAL_NAMESPACES.includes(attrs.name)) {
        throw new StatusError({ code: 403, reason: 'Forbidden', message: `namespaces "${attrs.name}" is forbidden: this namespace may not be deleted`, details: { name: attrs.name, kind: 'namespaces' } });
      }
      return;
    }
    if (!attrs.namespace || isNamespace(attrs)) return;
    const namespace = await this.namespaces.lookupNamespace(attrs.namespace);
    if (namespace.deletionTimestamp) {
      const resource = attrs.resource.group ? `${attrs.resource.resource}.${attrs.resource.group}` : attrs.resource.resource;
      throw new StatusError({
        code: 403,
        reason: 'Forbidden',
        message: `${resource} "${attrs.name}" is forbidden: unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
        details: {
          name: attrs.name,
          group: attrs.resource.group,
          kind: attrs.resource.resource,
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' }],
        },
      });
    }
  }
}
