/**
 * Validation and defaults of the RBAC kinds, as kube-apiserver applies them:
 * rules need verbs and say either resources or non-resource URLs, a ClusterRole's
 * aggregationRule has at least one valid label selector, bindings refer to a role
 * of this group and never change that reference, subjects name a User, Group or
 * ServiceAccount.
 */
import { labelSelectorFromObject, type LabelSelectorObject } from '../../api/labels';
import type { FieldError } from '../../api/status';
import { validateLabelSelectorSpec } from '../../api/validation';
import type { RESTStrategy } from '../../registry/strategy';
import { RBAC_GROUP, type ClusterRole, type ClusterRoleBinding, type PolicyRule, type Role, type RoleBinding, type Subject } from './types';

/** RBAC names are path segments (`system:discovery` is a valid one). */
export function validateRBACName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  (rules ?? []).forEach((rule, i) => {
    const at = `rules[${i}]`;
    if ((rule.verbs ?? []).length === 0) errors.push({ type: 'FieldValueRequired', field: `${at}.verbs`, detail: 'verbs must contain at least one value' });
    const urls = rule.nonResourceURLs ?? [];
    if (urls.length > 0) {
      if (namespaced) errors.push({ type: 'FieldValueInvalid', field: `${at}.nonResourceURLs`, value: urls.join(','), detail: 'namespaced rules cannot apply to non-resource URLs' });
      else if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0) {
        errors.push({ type: 'FieldValueInvalid', field: `${at}.nonResourceURLs`, value: urls.join(','), detail: 'rules cannot apply to both regular resources and non-resource URLs' });
      }
      return;
    }
    if ((rule.apiGroups ?? []).length === 0) errors.push({ type: 'FieldValueRequired', field: `${at}.apiGroups`, detail: 'resource rules must supply at least one api group' });
    if ((rule.resources ?? []).length === 0) errors.push({ type: 'FieldValueRequired', field: `${at}.resources`, detail: 'resource rules must supply at least one resource' });
  });
  return errors;
}

function isLabelSelector(selector: LabelSelectorObject): boolean {
  try {
    labelSelectorFromObject(selector);
    return true;
  } catch {
    return false;
  }
}

/** An aggregationRule selects with at least one valid label selector. */
function validateAggregationRule(role: ClusterRole): FieldError[] {
  const rule = role.aggregationRule;
  if (!rule) return [];
  const selectors = rule.clusterRoleSelectors ?? [];
  if (selectors.length === 0) {
    return [{ type: 'FieldValueRequired', field: 'aggregationRule.clusterRoleSelectors', detail: 'at least one clusterRoleSelector required if aggregationRule is non-nil' }];
  }
  return selectors.flatMap((selector, i) => {
    const at = `aggregationRule.clusterRoleSelectors[${i}]`;
    const errors = validateLabelSelectorSpec(selector, at);
    if (errors.length === 0 && !isLabelSelector(selector)) errors.push({ type: 'FieldValueInvalid', field: at, value: selector, detail: 'invalid label selector.' });
    return errors;
  });
}

function validateBinding(binding: RoleBinding | ClusterRoleBinding, allowedKinds: string[], namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const ref = binding.roleRef ?? ({} as RoleBinding['roleRef']);
  if (ref.apiGroup !== RBAC_GROUP) errors.push({ type: 'FieldValueNotSupported', field: 'roleRef.apiGroup', value: ref.apiGroup ?? '', detail: `supported values: "${RBAC_GROUP}"` });
  if (!allowedKinds.includes(ref.kind)) {
    errors.push({ type: 'FieldValueNotSupported', field: 'roleRef.kind', value: ref.kind ?? '', detail: `supported values: ${allowedKinds.map((k) => `"${k}"`).join(', ')}` });
  }
  if (!ref.name) errors.push({ type: 'FieldValueRequired', field: 'roleRef.name', detail: '' });
  else for (const msg of validateRBACName(ref.name)) errors.push({ type: 'FieldValueInvalid', field: 'roleRef.name', value: ref.name, detail: msg });
  (binding.subjects ?? []).forEach((subject, i) => errors.push(...validateSubject(subject, `subjects[${i}]`, namespaced)));
  return errors;
}

function validateSubject(subject: Subject, at: string, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (!subject.name) errors.push({ type: 'FieldValueRequired', field: `${at}.name`, detail: '' });
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.apiGroup) errors.push({ type: 'FieldValueNotSupported', field: `${at}.apiGroup`, value: subject.apiGroup, detail: 'supported values: ""' });
      if (!namespaced && !subject.namespace) errors.push({ type: 'FieldValueRequired', field: `${at}.namespace`, detail: '' });
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== RBAC_GROUP) errors.push({ type: 'FieldValueNotSupported', field: `${at}.apiGroup`, value: subject.apiGroup ?? '', detail: `supported values: "${RBAC_GROUP}"` });
      break;
    default:
      errors.push({ type: 'FieldValueNotSupported', field: `${at}.kind`, value: subject.kind ?? '', detail: 'supported values: "ServiceAccount", "User", "Group"' });
  }
  return errors;
}

/** Users and groups belong to this API group when the subject does not say (v1 defaults). */
function defaultSubjects(binding: RoleBinding | ClusterRoleBinding): void {
  for (const subject of binding.subjects ?? []) {
    if (!subject.apiGroup && (subject.kind === 'User' || subject.kind === 'Group')) subject.apiGroup = RBAC_GROUP;
  }
}

function roleRefUnchanged(obj: RoleBinding | ClusterRoleBinding, old: RoleBinding | ClusterRoleBinding): FieldError[] {
  const same = JSON.stringify(obj.roleRef) === JSON.stringify(old.roleRef);
  return same ? [] : [{ type: 'FieldValueInvalid', field: 'roleRef', value: obj.roleRef?.name, detail: 'cannot change roleRef' }];
}

function roleStrategy(namespaced: boolean): RESTStrategy<Role | ClusterRole> {
  const validate = (role: Role | ClusterRole) => [...validateRules(role.rules, namespaced), ...(namespaced ? [] : validateAggregationRule(role as ClusterRole))];
  return {
    validate: (_ctx, role) => validate(role),
    validateUpdate: (_ctx, role) => validate(role),
    allowCreateOnUpdate: () => true,
    validateName: validateRBACName,
  };
}

function bindingStrategy(allowedKinds: string[], namespaced: boolean): RESTStrategy<RoleBinding | ClusterRoleBinding> {
  return {
    prepareForCreate: (_ctx, binding) => defaultSubjects(binding),
    prepareForUpdate: (_ctx, binding) => defaultSubjects(binding),
    validate: (_ctx, binding) => validateBinding(binding, allowedKinds, namespaced),
    validateUpdate: (_ctx, binding, old) => [...validateBinding(binding, allowedKinds, namespaced), ...roleRefUnchanged(binding, old)],
    allowCreateOnUpdate: () => true,
    validateName: validateRBACName,
  };
}

export const roleRESTStrategy = roleStrategy(true);
export const clusterRoleRESTStrategy = roleStrategy(false);
export const roleBindingRESTStrategy = bindingStrategy(['Role', 'ClusterRole'], true);
export const clusterRoleBindingRESTStrategy = bindingStrategy(['ClusterRole'], false);
