/** Objects of nginx.example.com for tests, written as a user writes them and decoded by a real Scheme. */
import YAML from 'yaml';
import { INTERNAL_VERSION, Scheme, type KubeObject } from '../../../src/index';
import { install } from '../../../src/apis/nginx/install';
import { GROUP } from '../../../src/apis/nginx/types';

export function nginxScheme(): Scheme {
  return install(new Scheme());
}

/** Decodes a manifest (with defaults applied) and converts it to the internal type. */
export function decodeToHub<T extends KubeObject>(scheme: Scheme, manifest: Record<string, unknown>): T {
  const { object, gvk } = scheme.decode(YAML.stringify(manifest));
  return scheme.convert(object, { group: GROUP, version: INTERNAL_VERSION, kind: gvk.kind }) as T;
}

export function upstreamManifest(spec: Record<string, unknown>, version = 'v1'): Record<string, unknown> {
  return { apiVersion: `${GROUP}/${version}`, kind: 'Upstream', metadata: { name: 'web', namespace: 'default' }, spec };
}

export function virtualServerManifest(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: `${GROUP}/v1`, kind: 'VirtualServer', metadata: { name: 'site', namespace: 'default' }, spec };
}

export function endpointManifest(spec: Record<string, unknown>, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: `${GROUP}/v1`, kind: 'Endpoint', metadata: { name: 'vm-1', namespace: 'default', labels }, spec };
}
