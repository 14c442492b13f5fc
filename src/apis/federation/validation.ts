/**
 * The rules of federation.example.com that a schema cannot say, as field errors
 * at precise paths. Types, enums and required fields are declared on the types
 * and checked by the registry Store. None of these functions mutates its input.
 */
import {
  isDNS1123Subdomain,
  parseApiVersion,
  type FieldError,
  validateLabelSelectorSpec,
} from '../../index';
import type { FederatedSpec } from './federated-types';
import type { OverridePolicySpec, PropagationPolicySpec, ResourceSelector } from './policy-types';
import {
  GROUP,
  TYPES_GROUP,
  type ClusterCredential,
  type ClusterOverride,
  type FederatedTypeConfig,
  type MemberClusterSpec,
  type OverrideOperation,
  type Placement,
  type TargetType,
} from './types';

const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });

const KIND_NAME = /^[A-Z][A-Za-z0-9]*$/;
const RESOURCE_NAME = /^[a-z][a-z0-9]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isBase64(value: string): boolean {
  return value.length % 4 === 0 && BASE64.test(value);
}


export function validatePlacement(placement: Placement | undefined, path: string): FieldError[] {
  if (!placement) return [];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (placement.clusters ?? []).forEach((cluster, i) => {
    const at = `${path}.clusters[${i}].name`;
    if (seen.has(cluster.name)) errors.push(duplicate(at, cluster.name));
    seen.add(cluster.name);
    errors.push(...isDNS1123Subdomain(cluster.name).map((msg) => invalid(at, cluster.name, msg)));
  });
  errors.push(...validateLabelSelectorSpec(placement.clusterSelector, `${path}.clusterSelector`));
  return errors;
}

export function validateOverrideOperations(ops: OverrideOperation[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (ops ?? []).forEach((op, i) => {
    const at = `${path}[${i}]`;
    if (op.path === '/' || op.path?.startsWith('/metadata/name') || op.path?.startsWith('/metadata/namespace')) {
      errors.push(forbidden(`${at}.path`, 'the name and namespace are the federated object’s own'));
    }
    if ((op.op ?? 'replace') === 'remove') {
      if (op.value !== undefined) errors.push(forbidden(`${at}.value`, 'a remove takes no value'));
    } else if (op.value === undefined) {
      errors.push(required(`${at}.value`, `an ${op.op ?? 'replace'} needs a value`));
    }
  });
  return errors;
}

function validateClusterOverrides(overrides: ClusterOverride[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (overrides ?? []).forEach((override, i) => {
    const at = `${path}[${i}]`;
    if (seen.has(override.clusterName)) errors.push(duplicate(`${at}.clusterName`, override.clusterName));
    seen.add(override.clusterName);
    errors.push(...validateOverrideOperations(override.clusterOverrides, `${at}.clusterOverrides`));
  });
  return errors;
}

/** A federated object's spec; `target` is what its template must be, when known. */
export function validateFederatedSpec(spec: FederatedSpec | undefined, target?: { apiVersion: string; kind: string }, path = 'spec'): FieldError[] {
  if (!spec) return [required(path)];
  const errors: FieldError[] = [];
  const template = spec.template ?? {};
  const metadata = template.metadata as Record<string, unknown> | undefined;
  for (const field of ['name', 'namespace', 'generateName'] as const) {
    if (metadata?.[field] !== undefined) errors.push(forbidden(`${path}.template.metadata.${field}`, 'the member object takes the federated object’s name and namespace'));
  }
  if (target) {
    if (template.apiVersion !== undefined && template.apiVersion !== target.apiVersion) {
      errors.push(invalid(`${path}.template.apiVersion`, template.apiVersion, `must be ${target.apiVersion} or left out`));
    }
    if (template.kind !== undefined && template.kind !== target.kind) errors.push(invalid(`${path}.template.kind`, template.kind, `must be ${target.kind} or left out`));
  }
  errors.push(...validatePlacement(spec.placement, `${path}.placement`));
  errors.push(...validateClusterOverrides(spec.overrides, `${path}.overrides`));
  return errors;
}

/** A FederatedNamespace is named as its namespace. */
export function validateFederatedNamespaceName(name: string | undefined, namespace: string | undefined): FieldError[] {
  return name === namespace ? [] : [invalid('metadata.name', name, `must be the namespace's name (${namespace ?? ''})`)];
}

export function validateMemberClusterSpec(spec: MemberClusterSpec | undefined, path = 'spec'): FieldError[] {
  if (!spec) return [required(path)];
  const errors: FieldError[] = [];
  try {
    const url = new URL(spec.apiEndpoint);
    if (url.pathname !== '/' || url.search || url.hash) errors.push(invalid(`${path}.apiEndpoint`, spec.apiEndpoint, 'must be https://host[:port] with no path'));
  } catch {
    errors.push(invalid(`${path}.apiEndpoint`, spec.apiEndpoint, 'must be a URL, https://host[:port]'));
  }
  if (spec.caBundle !== undefined && !(isBase64(spec.caBundle) && Buffer.from(spec.caBundle, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----'))) {
    errors.push(invalid(`${path}.caBundle`, '<omitted>', 'must be base64 of PEM certificates'));
  }
  if (spec.secretRef && spec.token !== undefined) errors.push(forbidden(`${path}.token`, 'give a token or a secretRef, not both'));
  if (spec.secretRef) errors.push(...isDNS1123Subdomain(spec.secretRef.name).map((msg) => invalid(`${path}.secretRef.name`, spec.secretRef?.name, msg)));
  return errors;
}

export function validateClusterCredential(credential: ClusterCredential): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(credential.data ?? {})) {
    if (!isBase64(value)) errors.push(invalid(`data[${key}]`, '<omitted>', 'must be base64'));
  }
  return errors;
}

/** A FederatedTypeConfig is named <plural>.<group> (<plural> for the core group), and federates no federation type. */
export function validateFederatedTypeConfig(config: FederatedTypeConfig): FieldError[] {
  const target: TargetType | undefined = config.spec?.targetType;
  if (!target) return [required('spec.targetType')];
  const errors: FieldError[] = [];
  const group = target.group ?? '';
  if (!KIND_NAME.test(target.kind)) errors.push(invalid('spec.targetType.kind', target.kind, 'must be CamelCase, starting with an upper-case letter'));
  if (!RESOURCE_NAME.test(target.plural)) errors.push(invalid('spec.targetType.plural', target.plural, 'must be lower-case letters and digits'));
  if (group === GROUP || group === TYPES_GROUP) errors.push(forbidden('spec.targetType.group', 'federation types are not federated'));
  if (group === '' && target.kind === 'Namespace') errors.push(forbidden('spec.targetType', 'namespaces are federated with FederatedNamespace'));
  const expected = group ? `${target.plural}.${group}` : target.plural;
  if (config.metadata?.name !== expected) errors.push(invalid('metadata.name', config.metadata?.name, `must be ${expected}, the target's <plural>.<group>`));
  return errors;
}

export function validateFederatedTypeConfigUpdate(config: FederatedTypeConfig, old: FederatedTypeConfig): FieldError[] {
  const errors = validateFederatedTypeConfig(config);
  if (JSON.stringify(config.spec?.targetType) !== JSON.stringify(old.spec?.targetType)) {
    errors.push(invalid('spec.targetType', config.spec?.targetType, 'field is immutable'));
  }
  return errors;
}

function validateResourceSelectors(selectors: ResourceSelector[] | undefined, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (selectors ?? []).forEach((selector, i) => {
    const at = `${path}[${i}]`;
    const { group, version } = parseApiVersion(selector.apiVersion ?? '');
    if (!version || (group && isDNS1123Subdomain(group).length > 0)) errors.push(invalid(`${at}.apiVersion`, selector.apiVersion, 'must be <group>/<version>, or <version> for the core group'));
    if (group === GROUP || group === TYPES_GROUP) errors.push(forbidden(`${at}.apiVersion`, 'federation types are not propagated'));
    if (!KIND_NAME.test(selector.kind ?? '')) errors.push(invalid(`${at}.kind`, selector.kind, 'must be CamelCase, starting with an upper-case letter'));
    if (namespaced && selector.namespace !== undefined) errors.push(forbidden(`${at}.namespace`, 'a namespaced policy selects in its own namespace'));
    errors.push(...validateLabelSelectorSpec(selector.labelSelector, `${at}.labelSelector`));
  });
  return errors;
}

export function validatePropagationPolicySpec(spec: PropagationPolicySpec | undefined, namespaced: boolean, path = 'spec'): FieldError[] {
  if (!spec) return [required(path)];
  return [...validateResourceSelectors(spec.resourceSelectors, namespaced, `${path}.resourceSelectors`), ...validatePlacement(spec.placement, `${path}.placement`)];
}

export function validateOverridePolicySpec(spec: OverridePolicySpec | undefined, namespaced: boolean, path = 'spec'): FieldError[] {
  if (!spec) return [required(path)];
  const errors = validateResourceSelectors(spec.resourceSelectors, namespaced, `${path}.resourceSelectors`);
  (spec.overrideRules ?? []).forEach((rule, i) => {
    errors.push(...validatePlacement(rule.targetCluster, `${path}.overrideRules[${i}].targetCluster`));
    errors.push(...validateOverrideOperations(rule.overrides, `${path}.overrideRules[${i}].overrides`));
  });
  return errors;
}
