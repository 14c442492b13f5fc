/**
 * The scale subresource's view of an object: an autoscaling/v1 Scale read from
 * the paths the resource declares, and the desired replicas written back, in the
 * manner of kube-apiserver's scale for custom resources.
 */
import { apiVersionOf, newInvalid, type FieldError } from '../api';
import { SCALE_GVK } from '../api/autoscaling';
import type { ScaleSubresource } from '../runtime';
import { cloneJSON, isRecord } from '../runtime/json-value';

type Plain = Record<string, unknown>;

function segments(path: string): string[] {
  return path.split('.').filter((s) => s !== '');
}

function readPath(obj: Plain, path: string): unknown {
  let value: unknown = obj;
  for (const key of segments(path)) {
    if (!isRecord(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** Sets a dot path in plain JSON, creating the objects on the way. */
function writePath(obj: Plain, path: string, value: unknown): void {
  const keys = segments(path);
  let at = obj;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(at[key])) at[key] = {};
    at = at[key] as Plain;
  }
  at[keys[keys.length - 1]] = value;
}

const replicasAt = (obj: Plain, path: string): number => {
  const value = readPath(obj, path);
  return Number.isInteger(value) ? (value as number) : 0;
};

/** The Scale of an object in its served version: metadata from the object, replicas and selector from the declared paths. */
export function scaleOf(obj: Plain, paths: ScaleSubresource): Plain {
  const meta = (obj.metadata ?? {}) as Plain;
  const selector = paths.labelSelectorPath ? readPath(obj, paths.labelSelectorPath) : undefined;
  const metadata: Plain = {};
  for (const key of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']) {
    if (meta[key] !== undefined) metadata[key] = meta[key];
  }
  return {
    apiVersion: apiVersionOf(SCALE_GVK),
    kind: SCALE_GVK.kind,
    metadata,
    spec: { replicas: replicasAt(obj, paths.specReplicasPath) },
    status: { replicas: replicasAt(obj, paths.statusReplicasPath), ...(typeof selector === 'string' ? { selector } : {}) },
  };
}

/**
 * The object with the Scale's desired replicas at the spec path. A Scale that
 * carries a resourceVersion makes the write conditional on it.
 */
export function withScale(obj: Plain, scale: Plain, paths: ScaleSubresource): Plain {
  const next = cloneJSON(obj);
  writePath(next, paths.specReplicasPath, readPath(scale, '.spec.replicas') ?? 0);
  const resourceVersion = readPath(scale, '.metadata.resourceVersion');
  if (typeof resourceVersion === 'string' && resourceVersion !== '') (next.metadata as Plain).resourceVersion = resourceVersion;
  return next;
}

/** kube's ValidateScale: the desired replicas may not be negative. */
export function validateScale(scale: Plain): void {
  const replicas = readPath(scale, '.spec.replicas');
  const errors: FieldError[] = [];
  if (typeof replicas === 'number' && replicas < 0) {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' });
  }
  if (errors.length > 0) throw newInvalid(SCALE_GVK, String(readPath(scale, '.metadata.name') ?? ''), errors);
}
