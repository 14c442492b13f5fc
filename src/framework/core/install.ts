/**
 * The minimal core group of a standalone server: `/api/v1` namespaces with their
 * lifecycle admission and controller, so `kubectl -n` and `kubectl create
 * namespace` behave as against kube-apiserver.
 */
import { INTERNAL_VERSION } from '../api';
import type { AdmissionChain } from '../admission/interfaces';
import type { Scheme } from '../runtime';
import { newRequestContext } from '../registry/context';
import type { APIGroupInfo } from '../server/api-group-info';
import type { GenericAPIServer } from '../server/generic-apiserver';
import type { StorageInterface } from '../storage/interface';
import { NamespaceController } from './namespace/controller';
import { localNamespacedContent } from './namespace/local-content';
import { IMMORTAL_NAMESPACES, NamespaceLifecycle } from './namespace/lifecycle-admission';
import { NamespaceStore } from './namespace/store';
import { namespaceStrategy } from './namespace/strategy';
import { Namespace, NamespaceV1 } from './namespace/types';

export interface CoreInstallOptions {
  scheme: Scheme;
  storageFor: (gr: { group: string; resource: string }) => StorageInterface;
  admission: AdmissionChain;
}

export interface InstalledCore {
  /** The core group for the server to install, with any other core resources merged in. */
  group: APIGroupInfo;
  namespaces: NamespaceStore;
  /** Empties terminating namespaces; more content sources can be added to it (an aggregator's backends). */
  namespaceController: NamespaceController;
  /** Creates the system namespaces and starts the namespace controller. */
  start(): Promise<void>;
}

export function installCore(server: GenericAPIServer, options: CoreInstallOptions): InstalledCore {
  const { scheme, admission } = options;
  scheme.addKnownTypes(Namespace, NamespaceV1);
  const resource = scheme.resourceInfo({ group: '', version: 'v1', resource: 'namespaces' });
  if (!resource) throw new Error('the Namespace type did not register');
  const namespaces = new NamespaceStore({
    scheme,
    resource,
    storage: options.storageFor({ group: '', resource: 'namespaces' }),
    strategy: namespaceStrategy,
    admission,
  });
  admission.addValidating(new NamespaceLifecycle(namespaces));

  const controller = new NamespaceController(namespaces, localNamespacedContent(server), server.logger.child({ controller: 'namespace' }), server.shutdownSignal);

  return {
    group: { group: '', scheme, versionedResources: { v1: { namespaces, 'namespaces/status': namespaces } } },
    namespaces,
    namespaceController: controller,
    async start() {
      for (const name of IMMORTAL_NAMESPACES) {
        const ns = scheme.newObject({ group: '', version: INTERNAL_VERSION, kind: 'Namespace' }) as Namespace;
        ns.metadata = { name } as Namespace['metadata'];
        await namespaces.create(newRequestContext(), ns).catch((err: { reason?: string }) => {
          if (err.reason !== 'AlreadyExists') throw err;
        });
      }
      void controller.run();
    },
  };
}
