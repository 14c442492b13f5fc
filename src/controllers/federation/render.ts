/**
 * What a member cluster should hold for a host object: its template with that
 * cluster's overrides applied (JSON patch operations), named as the host object,
 * marked as managed and by whom, and stamped with a digest of all of it so that
 * a later change of the template can be told from what the member added itself.
 */
import { createHash } from 'node:crypto';
import { applyPatch, type Operation } from 'fast-json-patch';
import { MANAGED_LABEL, ORIGIN_ANNOTATION, RENDERED_HASH_ANNOTATION, type OverrideOperation } from '../../apis/federation/types';

/** The object a member is given; `object` carries `hash` in its annotations. */
export interface Rendered {
  object: Record<string, unknown>;
  hash: string;
}

export type RenderOutcome = Rendered | { error: string };

/** The member object's identity. */
export interface RenderTarget {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for a cluster-scoped target. */
  namespace?: string;
  /** The origin annotation: which host object this is made from. */
  origin: string;
}

type Metadata = { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };

/** JSON with object keys in order, so equal objects digest alike. */
function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJSON((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function isRenderError(outcome: RenderOutcome): outcome is { error: string } {
  return 'error' in outcome;
}

/**
 * `template` is the object without name and namespace (its labels and annotations
 * kept); `overrides` apply in order, `op` replace by default.
 */
export function renderForCluster(template: Record<string, unknown>, overrides: OverrideOperation[], target: RenderTarget): RenderOutcome {
  const { status: _status, ...rest } = structuredClone(template);
  const templateMeta = (rest.metadata ?? {}) as Metadata;
  let object: Record<string, unknown> = {
    ...rest,
    apiVersion: target.apiVersion,
    kind: target.kind,
    metadata: { labels: { ...templateMeta.labels }, annotations: { ...templateMeta.annotations } },
  };
  if (overrides.length > 0) {
    const operations = overrides.map((o) => ({ op: o.op ?? 'replace', path: o.path, value: o.value }) as Operation);
    try {
      object = applyPatch(object, operations, true, true).newDocument;
    } catch (err) {
      return { error: `overrides do not apply: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  const metadata = (object.metadata ?? {}) as Metadata;
  const labels = { ...metadata.labels, [MANAGED_LABEL]: 'true' };
  const annotations: Record<string, string> = { ...metadata.annotations, [ORIGIN_ANNOTATION]: target.origin };
  delete annotations[RENDERED_HASH_ANNOTATION];
  object.metadata = { name: target.name, ...(target.namespace ? { namespace: target.namespace } : {}), labels, annotations };
  const hash = createHash('sha256').update(canonicalJSON(object)).digest('hex').slice(0, 32);
  annotations[RENDERED_HASH_ANNOTATION] = hash;
  return { object, hash };
}
