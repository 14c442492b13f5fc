/**
 * The protobuf messages of the built-in kinds this codec knows, with the package
 * names and field numbers of upstream's generated.proto files (k8s.io/apimachinery
 * pkg/runtime and pkg/apis/meta/v1, k8s.io/api core/v1). Only the messages needed
 * are declared. The text is part of the code (not a .proto file beside it) so that
 * the compiled package carries it; protobufjs parses it on first use.
 *
 * `[(go_pointer) = true]` marks fields that are pointers in the Go types. Go writes
 * every other field even when it holds its zero value, and its JSON leaves such
 * zero values out (omitempty); a pointer field is written only when set, and its
 * zero value means something (`gracePeriodSeconds: 0` is "delete now").
 */
import { parse, Root, Type } from 'protobufjs';

const RUNTIME_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;

const META_V1_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message FieldsV1 {
  optional bytes Raw = 1;
}

message OwnerReference {
  optional string kind = 1;
  optional string name = 3;
  optional string uid = 4;
  optional string apiVersion = 5;
  optional bool controller = 6 [(go_pointer) = true];
  optional bool blockOwnerDeletion = 7 [(go_pointer) = true];
}

message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4 [(go_pointer) = true];
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7 [(go_pointer) = true];
  optional string subresource = 8;
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9 [(go_pointer) = true];
  optional int64 deletionGracePeriodSeconds = 10 [(go_pointer) = true];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message LabelSelectorRequirement {
  optional string key = 1;
  optional string operator = 2;
  repeated string values = 3;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message Preconditions {
  optional string uid = 1 [(go_pointer) = true];
  optional string resourceVersion = 2 [(go_pointer) = true];
}

message DeleteOptions {
  optional int64 gracePeriodSeconds = 1 [(go_pointer) = true];
  optional Preconditions preconditions = 2 [(go_pointer) = true];
  optional bool orphanDependents = 3 [(go_pointer) = true];
  optional string propagationPolicy = 4 [(go_pointer) = true];
  repeated string dryRun = 5;
  optional bool ignoreStoreReadErrorWithClusterBreakingPotential = 6 [(go_pointer) = true];
}
`;

const CORE_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

message NamespaceSpec {
  repeated string finalizers = 1;
}

message NamespaceCondition {
  optional string type = 1;
  optional string status = 2;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message NamespaceStatus {
  optional string phase = 1;
  repeated NamespaceCondition conditions = 2;
}

message Namespace {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional NamespaceSpec spec = 2;
  optional NamespaceStatus status = 3;
}

message ConfigMap {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
  optional bool immutable = 4 [(go_pointer) = true];
}

message Secret {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  map<string, bytes> data = 2;
  optional string type = 3;
  map<string, string> stringData = 4;
  optional bool immutable = 5 [(go_pointer) = true];
}
`;

// The review kinds clients create (kubectl auth can-i, kubectl auth whoami). Extra
// user information (map<string, ExtraValue>) is left out: its wire form differs from JSON's.
const AUTHENTICATION_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.authentication.v1;

message UserInfo {
  optional string username = 1;
  optional string uid = 2;
  repeated string groups = 3;
}

message TokenReviewSpec {
  optional string token = 1;
  repeated string audiences = 2;
}

message TokenReviewStatus {
  optional bool authenticated = 1;
  optional UserInfo user = 2;
  optional string error = 3;
  repeated string audiences = 4;
}

message TokenReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional TokenReviewSpec spec = 2;
  optional TokenReviewStatus status = 3;
}

message SelfSubjectReviewStatus {
  optional UserInfo userInfo = 1;
}

message SelfSubjectReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectReviewStatus status = 2;
}
`;

const AUTHORIZATION_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.authorization.v1;

message ResourceAttributes {
  optional string namespace = 1;
  optional string verb = 2;
  optional string group = 3;
  optional string version = 4;
  optional string resource = 5;
  optional string subresource = 6;
  optional string name = 7;
}

message NonResourceAttributes {
  optional string path = 1;
  optional string verb = 2;
}

message SubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1 [(go_pointer) = true];
  optional NonResourceAttributes nonResourceAttributes = 2 [(go_pointer) = true];
  optional string user = 3;
  repeated string groups = 4;
  optional string uid = 6;
}

message SelfSubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1 [(go_pointer) = true];
  optional NonResourceAttributes nonResourceAttributes = 2 [(go_pointer) = true];
}

message SubjectAccessReviewStatus {
  optional bool allowed = 1 [(go_pointer) = true];
  optional string reason = 2;
  optional string evaluationError = 3;
  optional bool denied = 4;
}

message SubjectAccessReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}

message LocalSubjectAccessReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}

message SelfSubjectAccessReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}

message SelfSubjectRulesReviewSpec {
  optional string namespace = 1;
}

message ResourceRule {
  repeated string verbs = 1;
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
}

message NonResourceRule {
  repeated string verbs = 1;
  repeated string nonResourceURLs = 2;
}

message SubjectRulesReviewStatus {
  repeated ResourceRule resourceRules = 1;
  repeated NonResourceRule nonResourceRules = 2;
  optional bool incomplete = 3;
  optional string evaluationError = 4;
}

message SelfSubjectRulesReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectRulesReviewSpec spec = 2;
  optional SubjectRulesReviewStatus status = 3;
}
`;

// What kubectl create role, clusterrole (also --aggregation-rule), rolebinding and clusterrolebinding send.
const RBAC_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.rbac.v1;

message PolicyRule {
  repeated string verbs = 1;
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
  repeated string nonResourceURLs = 5;
}

message Subject {
  optional string kind = 1;
  optional string apiGroup = 2;
  optional string name = 3;
  optional string namespace = 4;
}

message RoleRef {
  optional string apiGroup = 1;
  optional string kind = 2;
  optional string name = 3;
}

message Role {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
}

message AggregationRule {
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector clusterRoleSelectors = 1;
}

message ClusterRole {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
  optional AggregationRule aggregationRule = 3 [(go_pointer) = true];
}

message RoleBinding {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}

message ClusterRoleBinding {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}
`;

/** Full names of the messages the codec treats specially or looks up. */
export const MessageNames = {
  Unknown: 'k8s.io.apimachinery.pkg.runtime.Unknown',
  Time: 'k8s.io.apimachinery.pkg.apis.meta.v1.Time',
  FieldsV1: 'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
  DeleteOptions: 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  Namespace: 'k8s.io.api.core.v1.Namespace',
  ConfigMap: 'k8s.io.api.core.v1.ConfigMap',
  Secret: 'k8s.io.api.core.v1.Secret',
  TokenReview: 'k8s.io.api.authentication.v1.TokenReview',
  SelfSubjectReview: 'k8s.io.api.authentication.v1.SelfSubjectReview',
  SubjectAccessReview: 'k8s.io.api.authorization.v1.SubjectAccessReview',
  LocalSubjectAccessReview: 'k8s.io.api.authorization.v1.LocalSubjectAccessReview',
  SelfSubjectAccessReview: 'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
  SelfSubjectRulesReview: 'k8s.io.api.authorization.v1.SelfSubjectRulesReview',
  Role: 'k8s.io.api.rbac.v1.Role',
  ClusterRole: 'k8s.io.api.rbac.v1.ClusterRole',
  RoleBinding: 'k8s.io.api.rbac.v1.RoleBinding',
  ClusterRoleBinding: 'k8s.io.api.rbac.v1.ClusterRoleBinding',
} as const;

export type MessageName = (typeof MessageNames)[keyof typeof MessageNames];

let root: Root | undefined;

/** The message type of that name, from the schema parsed (and resolved) once. */
export function lookupMessage(name: MessageName): Type {
  if (!root) {
    const parsed = new Root();
    for (const source of [RUNTIME_PROTO, META_V1_PROTO, CORE_V1_PROTO, AUTHENTICATION_V1_PROTO, AUTHORIZATION_V1_PROTO, RBAC_V1_PROTO]) parse(source, parsed, { keepCase: true });
    parsed.resolveAll();
    root = parsed;
  }
  return root.lookupType(name);
}

/** Whether the field is a pointer in the Go type, so that its zero value is kept. */
export function isGoPointer(field: { options?: { [name: string]: unknown } }): boolean {
  return field.options?.['(go_pointer)'] === true;
}
