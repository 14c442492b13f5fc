/**
 * The meta/v1 object types every resource shares, declared with @Field so they
 * appear in schemas and take part in decoding and conversion like user types.
 * As in Kubernetes, every field is optional on the wire.
 */
import { Field } from '../runtime/field.decorator';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface GroupVersion {
  group: string;
  version: string;
}

/** The version of every hub (internal) type; never served. */
export const INTERNAL_VERSION = '__internal';

/** `v1` for the core group, `group/version` otherwise. */
export function apiVersionOf(gv: GroupVersion): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

/** The inverse of apiVersionOf: `apps/v1` → {group: 'apps', version: 'v1'}, `v1` → core. */
export function parseApiVersion(s: string): GroupVersion {
  const slash = s.indexOf('/');
  return slash < 0 ? { group: '', version: s } : { group: s.slice(0, slash), version: s.slice(slash + 1) };
}

export function formatGroupVersionKind(gvk: GroupVersionKind): string {
  return `${apiVersionOf(gvk)}, Kind=${gvk.kind}`;
}

export class TypeMeta {
  @Field(() => String, { description: 'The versioned schema of this representation of an object.' })
  apiVersion?: string;

  @Field(() => String, { description: 'The REST resource this object represents, in CamelCase.' })
  kind?: string;
}

export class OwnerReference {
  @Field(() => String, { required: true, description: 'API version of the referent.' })
  apiVersion!: string;

  @Field(() => String, { required: true, description: 'Kind of the referent.' })
  kind!: string;

  @Field(() => String, { required: true, description: 'Name of the referent.' })
  name!: string;

  @Field(() => String, { required: true, description: 'UID of the referent.' })
  uid!: string;

  @Field(() => Boolean, { description: 'If true, this reference points to the managing controller.' })
  controller?: boolean;

  @Field(() => Boolean, { description: 'If true, the owner cannot be deleted from storage before this reference is removed.' })
  blockOwnerDeletion?: boolean;
}

export class ManagedFieldsEntry {
  @Field(() => String, { description: 'The workflow managing these fields.' })
  manager?: string;

  @Field(() => String, { description: 'The operation that created this entry: Apply or Update.' })
  operation?: string;

  @Field(() => String, { description: 'The version of the resource these fields were set in.' })
  apiVersion?: string;

  @Field(() => String, { format: 'date-time', description: 'When the fields were last changed.' })
  time?: string;

  @Field(() => String, { description: 'The format of fieldsV1; only "FieldsV1" exists.' })
  fieldsType?: string;

  @Field(() => Object, { description: 'The set of fields, in the FieldsV1 trie format.' })
  fieldsV1?: Record<string, unknown>;

  @Field(() => String, { description: 'The subresource used to update the object, if any.' })
  subresource?: string;
}

/** metav1.LabelSelectorRequirement: one condition of a selector in a spec. */
export class LabelSelectorRequirement {
  @Field(() => String, { required: true, description: 'The label key the requirement applies to.' })
  key!: string;

  @Field(() => String, { required: true, enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] })
  operator!: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

  @Field(() => String, { array: true, description: 'Values for In and NotIn; empty for Exists and DoesNotExist.' })
  values?: string[];
}

/**
 * metav1.LabelSelector, the object form declared in specs (the parsed, evaluable
 * form is `LabelSelector` from labels.ts). Empty selects everything.
 */
export class LabelSelectorSpec {
  @Field(() => String, { map: true, description: 'Labels an object must carry with exactly these values.' })
  matchLabels?: Record<string, string>;

  @Field(() => LabelSelectorRequirement, { array: true })
  matchExpressions?: LabelSelectorRequirement[];
}

export class ObjectMeta {
  @Field(() => String, { description: 'Unique name within a namespace.' })
  name?: string;

  @Field(() => String, { description: 'Prefix for a server-generated name, used when name is empty.' })
  generateName?: string;

  @Field(() => String, { description: 'The namespace of a namespaced object.' })
  namespace?: string;

  @Field(() => String, { description: 'Unique in time and space; set by the server.' })
  uid?: string;

  @Field(() => String, { description: 'Opaque version of this object for optimistic concurrency and watch.' })
  resourceVersion?: string;

  @Field(() => Number, { type: 'integer', format: 'int64', description: 'Sequence number of changes to the desired state.' })
  generation?: number;

  @Field(() => String, { format: 'date-time', description: 'When the object was created; set by the server.' })
  creationTimestamp?: string;

  @Field(() => String, { format: 'date-time', description: 'When the object will be deleted; set by the server.' })
  deletionTimestamp?: string;

  @Field(() => Number, { type: 'integer', format: 'int64', description: 'Seconds allowed for graceful termination.' })
  deletionGracePeriodSeconds?: number;

  @Field(() => String, { map: true, description: 'Key/value pairs for selecting objects.' })
  labels?: Record<string, string>;

  @Field(() => String, { map: true, description: 'Unstructured key/value data for tools and extensions.' })
  annotations?: Record<string, string>;

  @Field(() => OwnerReference, {
    array: true,
    patchMergeKey: 'uid',
    patchStrategy: 'merge',
    listType: 'map',
    listMapKeys: ['uid'],
    description: 'Objects this object depends on.',
  })
  ownerReferences?: OwnerReference[];

  @Field(() => String, { array: true, patchStrategy: 'merge', listType: 'set', description: 'Must be empty before the object is deleted from storage.' })
  finalizers?: string[];

  @Field(() => ManagedFieldsEntry, { array: true, description: 'Which manager owns which fields; maintained by the server.' })
  managedFields?: ManagedFieldsEntry[];
}

export class ListMeta {
  @Field(() => String, { description: 'The version of the list, for watch.' })
  resourceVersion?: string;

  @Field(() => String, { description: 'Token to fetch the next page of a paginated list.' })
  continue?: string;

  @Field(() => Number, { type: 'integer', format: 'int64', description: 'How many items a paginated list still has; an estimate.' })
  remainingItemCount?: number;
}

export class Condition {
  @Field(() => String, { required: true, maxLength: 316, description: 'Type of the condition, in CamelCase.' })
  type!: string;

  @Field(() => String, { required: true, enum: ['True', 'False', 'Unknown'], description: 'Status of the condition.' })
  status!: 'True' | 'False' | 'Unknown';

  @Field(() => Number, { type: 'integer', format: 'int64', minimum: 0, description: 'The generation the condition was set for.' })
  observedGeneration?: number;

  @Field(() => String, { format: 'date-time', description: 'When the condition last changed status.' })
  lastTransitionTime?: string;

  @Field(() => String, { maxLength: 1024, description: 'Programmatic identifier for the last transition, in CamelCase.' })
  reason?: string;

  @Field(() => String, { maxLength: 32768, description: 'Human readable details of the last transition.' })
  message?: string;
}

/** The base of every resource class: apiVersion and kind on the wire, and metadata. */
export abstract class KubeObject extends TypeMeta {
  @Field(() => ObjectMeta, { description: "Standard object's metadata." })
  metadata!: ObjectMeta;
}
