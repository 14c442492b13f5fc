/** Deployments of the workloads sample for tests, written as a user writes them and decoded by a real Scheme. */
import YAML from 'yaml';
import { INTERNAL_VERSION, Scheme, type KubeObject } from '../../../src/index';
import { install } from '../../../src/apis/workloads/install';
import { APPS_GROUP, EXTENSIONS_GROUP, type Deployment } from '../../../src/apis/workloads/types';

export const HUB = { group: APPS_GROUP, version: INTERNAL_VERSION, kind: 'Deployment' };

/** The three served versions, as apiVersions. */
export const V1 = `${APPS_GROUP}/v1`;
export const V1BETA2 = `${APPS_GROUP}/v1beta2`;
export const V1BETA1 = `${EXTENSIONS_GROUP}/v1beta1`;

export function workloadsScheme(): Scheme {
  return install(new Scheme());
}

export function gvkOf(apiVersion: string): { group: string; version: string; kind: string } {
  const [group, version] = apiVersion.split('/');
  return { group, version, kind: 'Deployment' };
}

/** A valid Deployment of `app: web` in the given version, with the spec fields given merged over the template. */
export function deploymentManifest(apiVersion: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion,
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...metadata },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

/** Decodes a manifest (with its version's defaults) and converts it to the internal Deployment. */
export function decodeToHub(scheme: Scheme, manifest: Record<string, unknown>): Deployment {
  return scheme.convert(scheme.decode(YAML.stringify(manifest)).object, HUB) as Deployment;
}

/** A typed object as plain JSON, for deep comparisons. */
export function plain(scheme: Scheme, obj: KubeObject): Record<string, unknown> {
  return scheme.toPlain(obj);
}
