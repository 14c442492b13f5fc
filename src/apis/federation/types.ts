/**
 * The internal (hub) types of federation.example.com that are not federated
 * objects themselves: member clusters and their credentials, the type
 * configurations that make the host serve Federated<Kind>, and the Lease the
 * controller replicas elect their leader with. Also the pieces every federated
 * object and policy shares: placement, overrides and per-cluster status.
 */
import { Condition, Field, Hub, KubeObject, type FieldOptions, LabelSelectorSpec } from '../../index';

export const GROUP = 'federation.example.com';
/** The group the Federated<Kind> resources are served in. */
export const TYPES_GROUP = 'types.federation.example.com';
export const VERSION = 'v1alpha1';

/** On every object the controller made in a member cluster. */
export const MANAGED_LABEL = 'federation.example.com/managed';
/** Which host object a member object was made from: `<resource>.<group>/<namespace>/<name>`. */
export const ORIGIN_ANNOTATION = 'federation.example.com/origin';
/** A digest of the object the controller last rendered for that member, to tell template changes from member defaults. */
export const RENDERED_HASH_ANNOTATION = 'federation.example.com/rendered-hash';
/** Keeps a propagated host object until its member copies are gone. */
export const PROPAGATION_FINALIZER = 'federation.example.com/propagation';

export const CONDITION_READY = 'Ready';
export const CONDITION_PROPAGATED = 'Propagated';
export const CONDITION_ESTABLISHED = 'Established';

/** The outcome of propagating one object to one member cluster (KubeFed's names). */
export const PROPAGATION_STATUSES = [
  'Ok',
  'CreationFailed',
  'UpdateFailed',
  'DeletionFailed',
  'ClusterNotReady',
  'VersionNotServed',
  'AlreadyExists',
  'ApplyOverridesFailed',
  'WaitingForRemoval',
] as const;
export type PropagationStatus = (typeof PROPAGATION_STATUSES)[number];

export const IMMUTABLE_FIELD_POLICIES = ['Report', 'Recreate'] as const;
export type ImmutableFieldPolicy = (typeof IMMUTABLE_FIELD_POLICIES)[number];

/** How every status of this group declares its conditions. */
export const conditionsField: FieldOptions = { array: true, listType: 'map', listMapKeys: ['type'], patchMergeKey: 'type', patchStrategy: 'merge' };

// ---- shared pieces ----

export class ClusterReference {
  @Field(() => String, { required: true, description: 'The name of a MemberCluster.' })
  name!: string;
}

export class Placement {
  @Field(() => ClusterReference, {
    array: true,
    patchMergeKey: 'name',
    patchStrategy: 'merge',
    listType: 'map',
    listMapKeys: ['name'],
    description: 'These clusters by name. When given (even empty), clusterSelector is not consulted.',
  })
  clusters?: ClusterReference[];

  @Field(() => LabelSelectorSpec, { description: 'The clusters whose labels match; {} selects every cluster.' })
  clusterSelector?: LabelSelectorSpec;
}

export class OverrideOperation {
  @Field(() => String, { enum: ['add', 'replace', 'remove'], description: 'add, replace (default) or remove, as in a JSON patch.' })
  op?: 'add' | 'replace' | 'remove';

  @Field(() => String, { required: true, pattern: '^/', description: 'A JSON pointer into the object, e.g. /spec/servers/0/weight.' })
  path!: string;

  @Field(undefined, { anyValue: true, description: 'The value to add or replace with.' })
  value?: unknown;
}

export class ClusterOverride {
  @Field(() => String, { required: true })
  clusterName!: string;

  @Field(() => OverrideOperation, { array: true, listType: 'atomic' })
  clusterOverrides?: OverrideOperation[];
}

export class ClusterPropagationStatus {
  @Field(() => String, { required: true })
  clusterName!: string;

  @Field(() => String, { required: true, enum: PROPAGATION_STATUSES })
  status!: PropagationStatus;

  @Field(() => String)
  message?: string;

  @Field(() => String, {
    description: "The version the cluster holds the object in, when it does not serve the template's and the object was converted to one it serves.",
  })
  apiVersion?: string;

  @Field(() => Object, { description: 'The status of the object in that cluster, as the cluster reports it (in the template\'s version).' })
  remoteStatus?: Record<string, unknown>;
}

// ---- MemberCluster ----

export class LocalObjectReference {
  @Field(() => String, { required: true })
  name!: string;
}

export class MemberClusterSpec {
  @Field(() => String, { required: true, pattern: '^https://', description: 'The cluster API server, e.g. https://10.0.0.5:6443.' })
  apiEndpoint!: string;

  @Field(() => String, { description: 'Base64 PEM CA bundle that verifies the API server; default the system roots.' })
  caBundle?: string;

  @Field(() => Boolean, { description: 'Skip verifying the API server certificate (tests only).' })
  insecureSkipTLSVerify?: boolean;

  @Field(() => LocalObjectReference, { description: 'The ClusterCredential holding the client certificate and key, or a token.' })
  secretRef?: LocalObjectReference;

  @Field(() => String, { description: 'A bearer token, inline (instead of secretRef).' })
  token?: string;
}

export class APIGroupVersions {
  @Field(() => String, { required: true, description: "The group's name; '' for the core group." })
  name!: string;

  @Field(() => String, { array: true, listType: 'set' })
  versions?: string[];
}

export class MemberClusterStatus {
  @Field(() => Condition, conditionsField)
  conditions?: Condition[];

  @Field(() => APIGroupVersions, { array: true, listType: 'map', listMapKeys: ['name'], description: 'The API groups and versions the cluster serves.' })
  apiGroups?: APIGroupVersions[];
}

@Hub({ group: GROUP, kind: 'MemberCluster' })
export class MemberCluster extends KubeObject {
  @Field(() => MemberClusterSpec)
  spec?: MemberClusterSpec;

  @Field(() => MemberClusterStatus)
  status?: MemberClusterStatus;
}

// ---- ClusterCredential ----

/** The data keys a ClusterCredential may hold. */
export const CREDENTIAL_KEYS = { token: 'token', clientCertificate: 'tls.crt', clientKey: 'tls.key' } as const;

@Hub({ group: GROUP, kind: 'ClusterCredential' })
export class ClusterCredential extends KubeObject {
  @Field(() => String, { map: true, description: 'Base64 values: token, or tls.crt and tls.key (a PEM client certificate and its key).' })
  data?: Record<string, string>;
}

// ---- FederatedTypeConfig ----

export class TargetType {
  @Field(() => String, { description: "The target's group; empty for the core group." })
  group?: string;

  @Field(() => String, { required: true })
  version!: string;

  @Field(() => String, { required: true })
  kind!: string;

  @Field(() => String, { required: true, description: 'The resource name, e.g. upstreams.' })
  plural!: string;

  @Field(() => String, { required: true, enum: ['Namespaced', 'Cluster'] })
  scope!: 'Namespaced' | 'Cluster';
}

export class FederatedTypeConfigSpec {
  @Field(() => TargetType, { required: true })
  targetType!: TargetType;

  @Field(() => String, { enum: ['Enabled', 'Disabled'], description: 'Whether objects of this type are propagated (default Enabled).' })
  propagation?: 'Enabled' | 'Disabled';

  @Field(() => String, {
    enum: IMMUTABLE_FIELD_POLICIES,
    description: 'When a member refuses to change a field in place: Report (default) the failure, or Recreate the object.',
  })
  immutableFieldPolicy?: ImmutableFieldPolicy;
}

export class FederatedTypeReference {
  @Field(() => String, { required: true })
  group!: string;

  @Field(() => String, { required: true })
  version!: string;

  @Field(() => String, { required: true })
  kind!: string;

  @Field(() => String, { required: true })
  plural!: string;
}

export class FederatedTypeConfigStatus {
  @Field(() => Condition, conditionsField)
  conditions?: Condition[];

  @Field(() => FederatedTypeReference, { description: 'The Federated<Kind> resource the host serves for the target.' })
  federatedType?: FederatedTypeReference;
}

@Hub({ group: GROUP, kind: 'FederatedTypeConfig' })
export class FederatedTypeConfig extends KubeObject {
  @Field(() => FederatedTypeConfigSpec)
  spec?: FederatedTypeConfigSpec;

  @Field(() => FederatedTypeConfigStatus)
  status?: FederatedTypeConfigStatus;
}

// ---- Lease ----

export class LeaseSpec {
  @Field(() => String, { description: 'Who holds the lease.' })
  holderIdentity?: string;

  @Field(() => Number, { type: 'integer', minimum: 1, description: 'How long the holder keeps it without renewing.' })
  leaseDurationSeconds?: number;

  @Field(() => String, { format: 'date-time' })
  acquireTime?: string;

  @Field(() => String, { format: 'date-time' })
  renewTime?: string;

  @Field(() => Number, { type: 'integer', minimum: 0, description: 'How often the lease changed hands.' })
  leaseTransitions?: number;
}

@Hub({ group: GROUP, kind: 'Lease' })
export class Lease extends KubeObject {
  @Field(() => LeaseSpec)
  spec?: LeaseSpec;
}
