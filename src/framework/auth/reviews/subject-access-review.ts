/**
 * Answers SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectAccessReview
 * with the server's own authorizer, as kube-apiserver does (the last is what
 * `kubectl auth can-i` asks).
 */
import { newBadRequest, newInvalid, type FieldError } from '../../api/status';
import type { UserInfo } from '../../registry/context';
import type { AuthorizationAttributes, Authorizer } from '../authorizer';
import { AUTHORIZATION_GROUP, type SubjectAccessReviewSpec, type SubjectAccessReviewStatus } from './types';

type AccessSpec = Pick<SubjectAccessReviewSpec, 'resourceAttributes' | 'nonResourceAttributes'>;

/** Exactly one of resourceAttributes and nonResourceAttributes, as kube validates it. */
export function validateAccessSpec(spec: AccessSpec | undefined): FieldError[] {
  const hasResource = spec?.resourceAttributes !== undefined;
  const hasNonResource = spec?.nonResourceAttributes !== undefined;
  if (hasResource && hasNonResource) {
    return [{ type: 'FieldValueInvalid', field: 'spec.resourceAttributes', detail: 'cannot be specified in combination with spec.nonResourceAttributes' }];
  }
  if (!hasResource && !hasNonResource) {
    return [{ type: 'FieldValueRequired', field: 'spec.resourceAttributes', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' }];
  }
  return [];
}

export function accessAttributes(user: UserInfo, spec: AccessSpec): AuthorizationAttributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user,
      verb: r.verb ?? '',
      isResourceRequest: true,
      path: '',
      namespace: r.namespace ?? '',
      apiGroup: r.group ?? '',
      apiVersion: r.version ?? '',
      resource: r.resource ?? '',
      subresource: r.subresource ?? '',
      name: r.name ?? '',
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? '', isResourceRequest: false, path: n.path ?? '', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

/** The answer, as a review's status. An authorizer that fails yields an evaluationError and no permission. */
export async function decideAccess(authorizer: Authorizer, attrs: AuthorizationAttributes): Promise<SubjectAccessReviewStatus> {
  try {
    const result = await authorizer.authorize(attrs);
    return {
      allowed: result.decision === 'allow',
      denied: result.decision === 'deny' ? true : undefined,
      reason: result.reason || undefined,
    };
  } catch (err) {
    return { allowed: false, evaluationError: (err as Error).message };
  }
}

/** SubjectAccessReview and LocalSubjectAccessReview: the subject is in the spec. */
export function subjectOf(kind: string, name: string, spec: SubjectAccessReviewSpec): UserInfo {
  const errors = validateAccessSpec(spec);
  if (!spec.user && (spec.groups ?? []).length === 0) {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.user', value: '', detail: 'at least one of user or group must be specified' });
  }
  if (errors.length > 0) throw newInvalid({ group: AUTHORIZATION_GROUP, kind }, name, errors);
  return { username: spec.user ?? '', uid: spec.uid || undefined, groups: spec.groups ?? [], extra: spec.extra };
}

/** A LocalSubjectAccessReview asks about its own namespace only. */
export function checkLocalNamespace(spec: SubjectAccessReviewSpec, namespace: string): void {
  if (spec.nonResourceAttributes) throw newBadRequest('disallowed on this kind of request: nonResourceAttributes');
  if ((spec.resourceAttributes?.namespace ?? '') !== namespace) {
    throw newBadRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
  }
}
