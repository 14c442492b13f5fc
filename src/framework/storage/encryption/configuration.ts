/**
 * `--encryption-provider-config`: an apiserver.config.k8s.io/v1
 * EncryptionConfiguration naming, for groups of resources, the providers that
 * encrypt them. The first provider's first key writes; every provider and key
 * listed can read, which is how keys are rotated.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { GroupResource } from '../../api/status';
import { aescbc, aesgcm, identity, secretbox, type EncryptionKey, type ValueTransformer } from './providers';

/** The transformers of one resource: the first seals, all may open. */
export interface ResourceEncryption {
  /** Writes every new value. */
  write: ValueTransformer;
  /** Tried by prefix when reading (identity last: it matches values without a prefix). */
  read: ValueTransformer[];
}

interface ResourceEntry {
  patterns: string[];
  encryption: ResourceEncryption;
}

export interface EncryptionConfiguration {
  /** How a resource is encrypted; undefined when the configuration does not name it. */
  forResource(gr: GroupResource): ResourceEncryption | undefined;
}

const KEYED_PROVIDERS: Record<string, (key: EncryptionKey) => ValueTransformer> = { aescbc, aesgcm, secretbox };

function keysOf(provider: string, config: unknown, at: string): EncryptionKey[] {
  const keys = (config as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${at}.${provider}.keys: at least one key is required`);
  return keys.map((k: { name?: unknown; secret?: unknown }, i: number) => {
    if (typeof k?.name !== 'string' || !k.name || k.name.includes(':')) throw new Error(`${at}.${provider}.keys[${i}].name: a name without ":" is required`);
    if (typeof k.secret !== 'string' || !k.secret) throw new Error(`${at}.${provider}.keys[${i}].secret: a base64 secret is required`);
    return { name: k.name, secret: Buffer.from(k.secret, 'base64') };
  });
}

function providersOf(list: unknown, at: string): ValueTransformer[] {
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${at}: at least one provider is required`);
  return list.flatMap((entry: Record<string, unknown>, i: number) => {
    const names = Object.keys(entry ?? {});
    if (names.length !== 1) throw new Error(`${at}[${i}]: exactly one provider per entry (aescbc, aesgcm, secretbox or identity)`);
    const [name] = names;
    if (name === 'identity') return [identity];
    const make = KEYED_PROVIDERS[name];
    if (!make) throw new Error(`${at}[${i}]: unsupported provider ${JSON.stringify(name)}; supported: aescbc, aesgcm, secretbox, identity`);
    return keysOf(name, entry[name], `${at}[${i}]`).map(make);
  });
}

/** `secrets` (core), `widgets.example.com`, `*.example.com`, `*.` (every core resource) or `*.*`. */
function patternMatches(pattern: string, gr: GroupResource): boolean {
  const dot = pattern.indexOf('.');
  const resource = dot < 0 ? pattern : pattern.slice(0, dot);
  const group = dot < 0 ? '' : pattern.slice(dot + 1);
  return (resource === '*' || resource === gr.resource) && (group === '*' || group === gr.group);
}

export function parseEncryptionConfiguration(text: string, source: string): EncryptionConfiguration {
  const doc = YAML.parse(text) as { apiVersion?: string; kind?: string; resources?: unknown } | null;
  if (doc?.kind !== 'EncryptionConfiguration' || (doc.apiVersion !== 'apiserver.config.k8s.io/v1' && doc.apiVersion !== 'apiserver.config.k8s.io/v1beta1')) {
    throw new Error(`${source}: expected apiVersion apiserver.config.k8s.io/v1, kind EncryptionConfiguration`);
  }
  if (!Array.isArray(doc.resources)) throw new Error(`${source}: resources is required`);
  const entries: ResourceEntry[] = doc.resources.map((entry: { resources?: unknown; providers?: unknown }, i: number) => {
    const at = `${source}: resources[${i}]`;
    if (!Array.isArray(entry?.resources) || entry.resources.some((r) => typeof r !== 'string')) throw new Error(`${at}.resources: a list of resources is required`);
    const providers = providersOf(entry.providers, `${at}.providers`);
    // Values without a prefix are plain only when identity says so; it is tried last.
    const read = [...providers].sort((a, b) => Number(a === identity) - Number(b === identity));
    return { patterns: entry.resources as string[], encryption: { write: providers[0], read } };
  });
  return { forResource: (gr) => entries.find((e) => e.patterns.some((p) => patternMatches(p, gr)))?.encryption };
}

export function readEncryptionConfiguration(file: string): EncryptionConfiguration {
  return parseEncryptionConfiguration(readFileSync(file, 'utf8'), file);
}
