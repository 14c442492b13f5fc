/**
 * How the controller reads an object in a member cluster: whose it is, whether
 * it still looks as rendered, and what to write over it when it does not.
 */
import { isInvalid, isStatusError, type UnstructuredObject } from '../../index';
import { MANAGED_LABEL, ORIGIN_ANNOTATION, RENDERED_HASH_ANNOTATION } from '../../apis/federation/types';
import type { Rendered } from './render';

/**
 * Ours to change: marked managed, and made from this host object. With
 * `adopt`, a managed object naming no origin (a namespace made on demand) counts
 * too; such an object is taken over, never deleted.
 */
export function isManagedBy(remote: UnstructuredObject, origin: string, adopt = false): boolean {
  const owner = remote.metadata.annotations?.[ORIGIN_ANNOTATION];
  return remote.metadata.labels?.[MANAGED_LABEL] === 'true' && (owner === origin || (adopt && owner === undefined));
}

/** Every field `wanted` sets has that value in `actual`; fields `actual` has besides (defaults) do not count. */
function isSubset(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted)) return Array.isArray(actual) && actual.length === wanted.length && wanted.every((item, i) => isSubset(item, actual[i]));
  if (wanted && typeof wanted === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(wanted).every(([key, value]) => value === undefined || isSubset(value, (actual as Record<string, unknown>)[key]));
  }
  return wanted === actual;
}

/**
 * Whether the member object needs writing: the rendering changed since it was
 * written (a template or override edit), or — unless `onlyDigest` — someone
 * changed what the controller set.
 */
export function needsUpdate(rendered: Rendered, remote: UnstructuredObject, opts: { onlyDigest?: boolean } = {}): boolean {
  if (remote.metadata.annotations?.[RENDERED_HASH_ANNOTATION] !== rendered.hash) return true;
  if (opts.onlyDigest) return false;
  const { metadata, ...fields } = rendered.object as { metadata: { labels?: object; annotations?: object } };
  const { metadata: remoteMetadata, ...remoteFields } = remote;
  return !(
    isSubset(fields, remoteFields) &&
    isSubset(metadata.labels, remoteMetadata.labels ?? {}) &&
    isSubset(metadata.annotations, remoteMetadata.annotations ?? {})
  );
}

/**
 * The rendered object as an update of the member's: with its resourceVersion and
 * uid (so a concurrent change is a Conflict), its finalizers and owners, the
 * annotations its own controllers set (kept, as KubeFed keeps them), and its status.
 */
export function updateOf(rendered: Rendered, remote: UnstructuredObject): Record<string, unknown> {
  const metadata = rendered.object.metadata as { annotations?: Record<string, string> };
  const { resourceVersion, uid, finalizers, ownerReferences, annotations } = remote.metadata;
  return {
    ...rendered.object,
    metadata: { ...metadata, resourceVersion, uid, finalizers, ownerReferences, annotations: { ...annotations, ...metadata.annotations } },
    ...(remote.status !== undefined ? { status: remote.status } : {}),
  };
}

/** A 422 that says a field may not change in place. */
export function isImmutableFieldError(err: unknown): boolean {
  if (!isInvalid(err) || !isStatusError(err)) return false;
  const causes = err.status.details?.causes ?? [];
  return /immutable/i.test(err.message) || causes.some((c) => /immutable/i.test(c.message ?? ''));
}

/** A create refused because the object's namespace does not exist there. */
export function isMissingNamespace(err: unknown): boolean {
  return isStatusError(err) && err.code === 404 && err.status.details?.kind === 'namespaces';
}
