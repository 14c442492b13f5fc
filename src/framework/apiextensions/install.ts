/**
 * apiextensions.k8s.io/v1 in a server: the CustomResourceDefinition resource and
 * the controller that serves what CRDs define, while the server runs.
 */
import type { Logger } from 'pino';
import type { AdmissionChain } from '../admission/interfaces';
import type { GroupResource } from '../api/status';
import type { Scheme } from '../runtime';
import type { GenericAPIServer } from '../server/generic-apiserver';
import type { StorageInterface } from '../storage/interface';
import { CRDController } from './crd-controller';
import { defaultCustomResourceDefinitions } from './crd-defaults';
import { CustomResourceDefinitionStore } from './crd-store';
import { customResourceDefinitionStrategy } from './crd-strategy';
import { CustomResourceServing } from './custom-resource-serving';
import { APIEXTENSIONS_GROUP, CustomResourceDefinition, CustomResourceDefinitionV1 } from './types';

export interface APIExtensionsInstallOptions {
  scheme: Scheme;
  storageFor(gr: GroupResource): StorageInterface;
  admission: AdmissionChain;
  logger: Logger;
}

export interface InstalledAPIExtensions {
  crds: CustomResourceDefinitionStore;
  /** Serves the CRDs stored now, then follows changes until the server stops. */
  start(): Promise<void>;
}

export function installAPIExtensions(server: GenericAPIServer, options: APIExtensionsInstallOptions): InstalledAPIExtensions {
  const { scheme, admission } = options;
  scheme.addKnownTypes(CustomResourceDefinition, CustomResourceDefinitionV1);
  defaultCustomResourceDefinitions(scheme);
  const resource = scheme.resourceInfoForKind({ group: APIEXTENSIONS_GROUP, version: 'v1', kind: 'CustomResourceDefinition' });
  if (!resource) throw new Error('the CustomResourceDefinition type did not register');
  const crds = new CustomResourceDefinitionStore({
    scheme,
    resource,
    storage: options.storageFor({ group: APIEXTENSIONS_GROUP, resource: resource.plural }),
    strategy: customResourceDefinitionStrategy,
    admission,
  });
  server.installAPIGroup({ group: APIEXTENSIONS_GROUP, scheme, versionedResources: { v1: { customresourcedefinitions: crds, 'customresourcedefinitions/status': crds } } });

  const logger = options.logger.child({ controller: 'customresourcedefinitions' });
  const serving = new CustomResourceServing({ server, storageFor: options.storageFor, admission, logger });
  const controller = new CRDController({
    crds,
    serving,
    isBuiltInGroup: (group) => server.installedGroups().some((installed) => installed.group === group),
    logger,
    signal: server.shutdownSignal,
  });
  return { crds, start: () => controller.start() };
}
