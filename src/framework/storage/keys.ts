/**
 * Storage keys, key ranges, resourceVersions and continue tokens: the encodings
 * every backend shares, so that keys, revisions and tokens mean the same on each.
 */
import { StorageError } from './errors';

/** The key prefix of kube-apiserver (`--etcd-prefix`). */
export const DEFAULT_STORAGE_PREFIX = '/registry';

/** `/<group>/<resource>/` (the core group has no segment): the root of one resource's keys. */
export function resourceKeyRoot(gr: { group: string; resource: string }): string {
  return gr.group ? `/${gr.group}/${gr.resource}/` : `/${gr.resource}/`;
}

/** `/<group>/<resource>/<namespace>/<name>`, or without the namespace for cluster-scoped objects. */
export function objectKey(gr: { group: string; resource: string }, namespace: string | undefined, name: string): string {
  return namespace ? `${resourceKeyRoot(gr)}${namespace}/${name}` : `${resourceKeyRoot(gr)}${name}`;
}

/** A backend prefix in canonical form: a leading "/", no trailing "/" (`/registry`); "" or "/" is no prefix. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The smallest string above every string that starts with `prefix` (the end of a range scan). */
export function prefixRangeEnd(prefix: string): string {
  let end = prefix;
  while (end.length > 0) {
    const last = end.charCodeAt(end.length - 1);
    if (last < 0xffff) return end.slice(0, -1) + String.fromCharCode(last + 1);
    end = end.slice(0, -1);
  }
  // Only a prefix of U+FFFF characters has no upper bound; U+FFFF is not valid in keys.
  return '\uffff';
}

/**
 * Parses a resourceVersion as kube-apiserver does: "" is 0 (unset), otherwise an
 * unsigned decimal integer; anything else is 'InvalidArgument'.
 */
export function parseResourceVersion(resourceVersion: string | undefined, key: string): number {
  if (resourceVersion === undefined || resourceVersion === '') return 0;
  if (!/^[0-9]+$/.test(resourceVersion) || !Number.isSafeInteger(Number(resourceVersion))) {
    throw new StorageError('InvalidArgument', key, `invalid resource version: ${JSON.stringify(resourceVersion)}`);
  }
  return Number(resourceVersion);
}

const CONTINUE_TOKEN_VERSION = 'meta.k8s.io/v1';

/** A decoded continue token: the list's revision and the key (relative to the listed prefix) to resume at. */
export interface ContinueToken {
  rv: number;
  start: string;
}

/**
 * Encodes a continue token as kube-apiserver does: unpadded base64url of
 * `{v, rv, start}`, where start is the key after `lastKey` relative to `prefix`.
 */
export function encodeContinue(lastKey: string, prefix: string, rv: number): string {
  const start = `${lastKey.slice(prefix.length)}\u0000`;
  return Buffer.from(JSON.stringify({ v: CONTINUE_TOKEN_VERSION, rv, start })).toString('base64url');
}

/** Decodes a continue token (either base64 alphabet); anything malformed is 'InvalidArgument'. */
export function decodeContinue(token: string, key: string): ContinueToken {
  const invalid = (why: string) => new StorageError('InvalidArgument', key, `continue key is not valid: ${why}`);
  let parsed: unknown;
  try {
    // Node's base64 decoder reads the standard and the URL-safe alphabet alike.
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalid('not a base64 encoded JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('not a base64 encoded JSON object');
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== CONTINUE_TOKEN_VERSION) throw invalid(`server does not recognize this encoded key version ${JSON.stringify(v)}`);
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0) throw invalid(`incorrect encoded start resourceVersion (version ${CONTINUE_TOKEN_VERSION})`);
  if (typeof start !== 'string' || start.length === 0) throw invalid(`encoded start key empty (version ${CONTINUE_TOKEN_VERSION})`);
  return { rv, start };
}

/** The 'Expired' error for a continue token older than the compacted revision, in kube-apiserver's words. */
export function continueExpiredError(key: string, currentRevision: number): StorageError {
  return new StorageError(
    'Expired',
    key,
    'The provided continue parameter is too old to display a consistent list result. ' +
      'You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. ' +
      'Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    String(currentRevision),
  );
}
