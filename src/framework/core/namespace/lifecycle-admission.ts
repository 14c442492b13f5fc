/**
 * NamespaceLifecycle admission, as in kube-apiserver: nothing is created in a
 * namespace that does not exist (404) or is being deleted (403), and the system
 * namespaces cannot be deleted.
 */
import { newNotFound, StatusError } from '../../api/status';
import type { AdmissionAttributes, AdmissionOperation, ValidatingAdmissionPlugin } from '../../admission/interfaces';
import { newRequestContext } from '../../registry/context';
import type { NamespaceStore } from './store';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];
const NAMESPACES = { group: '', resource: 'namespaces' };

function isNamespace(attrs: AdmissionAttributes): boolean {
  return attrs.kind.group === '' && attrs.kind.kind === 'Namespace';
}

export class NamespaceLifecycle implements ValidatingAdmissionPlugin {
  readonly name = 'NamespaceLifecycle';

  constructor(private readonly namespaces: NamespaceStore) {}

  handles(operation: AdmissionOperation): boolean {
    return operation === 'CREATE' || operation === 'DELETE';
  }

  /**
   * The namespace as the watch cache has it (no storage round trip on every
   * create); only a namespace the cache does not know yet — just created — is
   * read from storage before the answer is NotFound.
   */
  private async lookup(name: string) {
    const ctx = newRequestContext();
    try {
      return await this.namespaces.get(ctx, name, { resourceVersion: '0' });
    } catch (err) {
      if ((err as StatusError).reason !== 'NotFound') throw err;
    }
    return this.namespaces.get(ctx, name).catch((err: unknown) => {
      if ((err as StatusError).reason === 'NotFound') throw newNotFound(NAMESPACES, name);
      throw err;
    });
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.operation === 'DELETE') {
      if (isNamespace(attrs) && IMMORTAL_NAMESPACES.includes(attrs.name)) {
        throw new StatusError({ code: 403, reason: 'Forbidden', message: `namespaces "${attrs.name}" is forbidden: this namespace may not be deleted`, details: { name: attrs.name, kind: 'namespaces' } });
      }
      return;
    }
    if (!attrs.namespace || isNamespace(attrs)) return;
    const ns = await this.lookup(attrs.namespace);
    if (ns.metadata.deletionTimestamp) {
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
