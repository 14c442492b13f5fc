/**
 * Serves established CRDs: for each, the classes of its versions, one Store per
 * served version over the resource's one storage, and its group installed in
 * the server (again, whenever a CRD of the group changes; uninstalled with the
 * group's last CRD). Routes, discovery and OpenAPI follow at once.
 */
import type { Logger } from 'pino';
import type { AdmissionChain } from '../admission/interfaces';
import type { GroupResource } from '../api/status';
import { apiVersionOf } from '../api';
import { Scheme } from '../runtime';
import type { APIGroupInfo } from '../server/api-group-info';
import type { GenericAPIServer } from '../server/generic-apiserver';
import type { StorageInterface, StoredObject } from '../storage/interface';
import { NoneConverter, type CustomResourceConverter } from './conversion/converter';
import { ConvertingStorage } from './conversion/converting-storage';
import { WebhookConverter } from './conversion/webhook-converter';
import { CustomResourceStore } from './custom-resource-store';
import { customResourceStrategy } from './custom-resource-strategy';
import { buildCustomResourceTypes, registerCustomResourceTypes, type CustomResourceTypes } from './custom-resource-types';
import type { CustomResourceDefinition } from './types';

export interface CustomResourceServingOptions {
  server: GenericAPIServer;
  /** The storage of a resource; asked once per group and resource while the server runs. */
  storageFor(gr: GroupResource): StorageInterface;
  admission: AdmissionChain;
  logger: Logger;
}

/** What is served for one CRD. */
interface ServedDefinition {
  group: string;
  /** Changes when the spec or the accepted names change: then the CRD is served anew. */
  revision: string;
  types: CustomResourceTypes;
  plural: string;
  /** One Store per served version. */
  stores: Map<string, CustomResourceStore>;
  subresources: Map<string, string[]>;
  state: { terminating: boolean };
}

export class CustomResourceServing {
  private readonly definitions = new Map<string, ServedDefinition>();
  /** Storages by `group/resource`, kept for the server's life so a CRD created again finds its cache. */
  private readonly storages = new Map<string, StorageInterface>();

  constructor(private readonly options: CustomResourceServingOptions) {}

  /** Serves the CRD, replacing what an earlier version of it served; a CRD that did not change is left alone. */
  serve(crd: CustomResourceDefinition): void {
    const name = crd.metadata.name ?? '';
    const revision = JSON.stringify([crd.metadata.generation, crd.status?.acceptedNames]);
    const current = this.definitions.get(name);
    if (current?.revision === revision) return;
    const definition = this.build(crd, revision, current?.state ?? { terminating: false });
    this.definitions.set(name, definition);
    if (current && current.group !== definition.group) this.installGroup(current.group);
    this.installGroup(definition.group);
    this.options.logger.info({ crd: name, versions: definition.types.versions.map((v) => v.name) }, 'serving custom resource');
  }

  /** Stops serving the CRD; its objects stay in storage. */
  remove(name: string): void {
    const definition = this.definitions.get(name);
    if (!definition) return;
    this.definitions.delete(name);
    this.installGroup(definition.group);
    this.options.logger.info({ crd: name }, 'stopped serving custom resource');
  }

  /** From now on the CRD's objects can be read and deleted, not created. */
  markTerminating(name: string): void {
    const definition = this.definitions.get(name);
    if (definition) definition.state.terminating = true;
  }

  /** A Store of the served CRD (its first served version), for cleaning up its objects. */
  storeOf(name: string): CustomResourceStore | undefined {
    const definition = this.definitions.get(name);
    return definition ? [...definition.stores.values()][0] : undefined;
  }

  /** Whether custom resources are served in the group. */
  servesGroup(group: string): boolean {
    return [...this.definitions.values()].some((d) => d.group === group);
  }

  private build(crd: CustomResourceDefinition, revision: string, state: ServedDefinition['state']): ServedDefinition {
    const types = buildCustomResourceTypes(crd);
    const plural = crd.status?.acceptedNames?.plural ?? crd.spec.names.plural;
    const storage = this.storageOf({ group: types.group, resource: plural });
    const persistedKind = { group: types.group, version: crd.spec.versions.find((v) => v.storage)?.name ?? '', kind: types.kind };
    const storageVersion = apiVersionOf(persistedKind);
    const converter = converterOf(crd, types);
    const stores = new Map<string, CustomResourceStore>();
    const subresources = new Map<string, string[]>();
    for (const version of types.versions) {
      const scheme = new Scheme();
      registerCustomResourceTypes(scheme, types, [version]);
      const gvk = { group: types.group, version: version.name, kind: types.kind };
      const resource = scheme.resourceInfoForKind(gvk);
      if (!resource) throw new Error(`${crd.metadata.name}: version ${version.name} did not register`);
      const normalize = (obj: StoredObject) => scheme.toPlain(scheme.fromPlain(obj)) as StoredObject;
      const store = new CustomResourceStore({
        scheme,
        resource,
        storage: new ConvertingStorage(storage, { converter, servedVersion: apiVersionOf(gvk), storageVersion, normalize }),
        strategy: customResourceStrategy({ scheme, gvk, schema: version.schema, selectableFields: version.selectableFields, terminating: () => state.terminating }),
        admission: this.options.admission,
        persistedKind,
        deprecationWarning: version.deprecationWarning,
      });
      stores.set(version.name, store);
      subresources.set(version.name, [...(resource.subresources.status ? ['status'] : []), ...(resource.subresources.scale ? ['scale'] : [])]);
    }
    return { group: types.group, revision, types, plural, stores, subresources, state };
  }

  /** Installs the group with every CRD it has now, or uninstalls it when it has none. */
  private installGroup(group: string): void {
    const definitions = [...this.definitions.values()].filter((d) => d.group === group);
    if (definitions.length === 0) {
      this.options.server.uninstallAPIGroup(group);
      return;
    }
    const scheme = new Scheme();
    const info: APIGroupInfo = { group, scheme, versionedResources: {} };
    for (const definition of definitions) {
      registerCustomResourceTypes(scheme, definition.types);
      for (const [version, store] of definition.stores) {
        const resources = (info.versionedResources[version] ??= {});
        resources[definition.plural] = store;
        for (const sub of definition.subresources.get(version) ?? []) resources[`${definition.plural}/${sub}`] = store;
      }
    }
    this.options.server.installAPIGroup(info);
  }

  private storageOf(gr: GroupResource): StorageInterface {
    const key = `${gr.group}/${gr.resource}`;
    let storage = this.storages.get(key);
    if (!storage) {
      storage = this.options.storageFor(gr);
      this.storages.set(key, storage);
    }
    return storage;
  }
}

function converterOf(crd: CustomResourceDefinition, types: CustomResourceTypes): CustomResourceConverter {
  const conversion = crd.spec.conversion;
  const url = conversion?.webhook?.clientConfig?.url;
  if (conversion?.strategy !== 'Webhook' || !url) return new NoneConverter();
  return new WebhookConverter({ url, caBundle: conversion.webhook?.clientConfig?.caBundle, kindDescription: `${types.group}, Kind=${types.kind}` });
}
