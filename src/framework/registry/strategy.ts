/**
 * The behaviour of one resource, separate from its wiring (k8s.io/apiserver's
 * RESTCreateStrategy/RESTUpdateStrategy). Every hook is optional; the Store owns the
 * order in which they run and the metadata rules common to all resources.
 * Hooks receive internal (hub) objects and never see HTTP.
 */
import type { FieldError } from '../api/status';
import type { KubeObject } from '../runtime';
import type { StoredObject } from '../storage/interface';
import type { RequestContext } from './context';

export interface RESTStrategy<T extends KubeObject = KubeObject> {
  /** Clears fields the client may not set on create (e.g. status). Runs before validate. */
  prepareForCreate?(ctx: RequestContext, obj: T): void;
  /** Field errors of a new object. Must not mutate it. */
  validate?(ctx: RequestContext, obj: T): FieldError[];
  /** Non-fatal problems to report to the client. */
  warningsOnCreate?(ctx: RequestContext, obj: T): string[];
  /** Normalises the object after validation, before it is stored. */
  canonicalize?(obj: T): void;

  /** Carries over what an update may not change (e.g. status on the main resource). */
  prepareForUpdate?(ctx: RequestContext, obj: T, old: T): void;
  /** Field errors of an update (immutable fields and the like). Must not mutate. */
  validateUpdate?(ctx: RequestContext, obj: T, old: T): FieldError[];
  warningsOnUpdate?(ctx: RequestContext, obj: T, old: T): string[];

  /** PUT of a missing object creates it. Default false. */
  allowCreateOnUpdate?(): boolean;
  /** PUT without metadata.resourceVersion is allowed. Default true. */
  allowUnconditionalUpdate?(): boolean;

  /** Writes through the status subresource: validate the new status. */
  validateStatusUpdate?(ctx: RequestContext, obj: T, old: T): FieldError[];

  /**
   * Fields selectable beyond metadata.name and metadata.namespace, each with how to
   * read it from the stored (storage-version) object, e.g. `{'spec.nodeName': (o) => ...}`.
   */
  selectableFields?: Record<string, (obj: StoredObject) => string | undefined>;

  /** Validates metadata.name; default: a DNS-1123 subdomain. Returns messages. */
  validateName?(name: string): string[];
}
