/**
 * The rules of APIService objects, as kube-aggregator's validation states them:
 * the name is `<version>.<group>`, priorities are in range, a service reference is
 * complete, and a CA bundle and skipping TLS verification exclude each other.
 */
import type { FieldError } from '../api/status';
import { isDNS1123Label, isDNS1123Subdomain } from '../api/validation';
import type { RESTStrategy } from '../registry/strategy';
import type { APIService } from './apiservice-types';

const MAX_GROUP_PRIORITY = 20000;
const MAX_VERSION_PRIORITY = 1000;

function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, value, detail };
}

function required(field: string): FieldError {
  return { type: 'FieldValueRequired', field, detail: 'Required value' };
}

function inRange(field: string, value: number | undefined, max: number): FieldError[] {
  if (value === undefined) return [required(field)];
  return value >= 1 && value <= max ? [] : [invalid(field, value, `must be in the range 1-${max}`)];
}

export function validateAPIService(obj: APIService): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj.spec ?? ({} as NonNullable<APIService['spec']>);
  const group = spec.group ?? '';
  const version = spec.version ?? '';
  // The core group's APIService is "v1." (an empty group after the dot), as in kube.
  const expectedName = `${version}.${group}`;
  if (obj.metadata.name !== expectedName) {
    errors.push(invalid('metadata.name', obj.metadata.name, `must be spec.version+"."+spec.group (${expectedName})`));
  }
  if (!version) errors.push(required('spec.version'));
  else for (const msg of isDNS1123Label(version)) errors.push(invalid('spec.version', version, msg));
  if (group) for (const msg of isDNS1123Subdomain(group)) errors.push(invalid('spec.group', group, msg));
  errors.push(...inRange('spec.groupPriorityMinimum', spec.groupPriorityMinimum, MAX_GROUP_PRIORITY));
  errors.push(...inRange('spec.versionPriority', spec.versionPriority, MAX_VERSION_PRIORITY));
  if (spec.service) {
    if (!spec.service.namespace) errors.push(required('spec.service.namespace'));
    if (!spec.service.name) errors.push(required('spec.service.name'));
  }
  if (spec.insecureSkipTLSVerify && spec.caBundle) {
    errors.push({ type: 'FieldValueForbidden', field: 'spec.insecureSkipTLSVerify', value: true, detail: 'may not be true if caBundle is present' });
  }
  return errors;
}

/** Any name that is a valid path segment ("v1." included); validateAPIService ties it to the spec. */
function validatePathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return /[/%]/.test(name) ? ["may not contain '/' or '%'"] : [];
}

export const apiServiceStrategy: RESTStrategy<APIService> = {
  validateName: validatePathSegmentName,
  validate: (_ctx, obj) => validateAPIService(obj),
  validateUpdate: (_ctx, obj) => validateAPIService(obj),
  canonicalize(obj) {
    // The default port, written down so every reader sees the port in use.
    if (obj.spec?.service && obj.spec.service.port === undefined) obj.spec.service.port = 443;
  },
};
