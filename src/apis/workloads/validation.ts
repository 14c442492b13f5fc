/**
 * The rules of a Deployment that a schema cannot say, checked on the internal
 * object whatever version it came in: a non-empty selector that selects the
 * template's pods, at least one uniquely named container, a strategy whose
 * parts fit together, and the values of fields that older versions keep in
 * annotations (which no version's schema sees there). Types and ranges declared
 * on the types are checked by the registry Store. Nothing here mutates its input.
 */
import {
  isDNS1123Label,
  labelSelectorFromObject,
  validateLabels,
  type FieldError,
  type LabelSelectorSpec,
  validateLabelSelectorSpec,
} from '../../index';
import { ROLLBACK_TO_ANNOTATION } from './annotated-fields';
import { POD_REPLACEMENT_POLICIES, type Deployment, type DeploymentSpec, type DeploymentStrategy } from './types';

const SELECTOR_OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });
const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

export function validateDeployment(obj: Deployment): FieldError[] {
  const errors = validateAnnotatedFields(obj);
  if (!obj.spec) return [...errors, required('spec')];
  return [...errors, ...validateDeploymentSpec(obj.spec)];
}

/** What may not change once created, in the versions that say so (all but extensions.example.com/v1beta1). */
export function validateSelectorUnchanged(obj: Deployment, old: Deployment): FieldError[] {
  if (selectorKey(obj.spec?.selector) === selectorKey(old.spec?.selector)) return [];
  return [invalid('spec.selector', obj.spec?.selector ?? null, 'field is immutable')];
}

/** Equal for selectors that say the same thing, whatever the order of their matchLabels. */
function selectorKey(selector: LabelSelectorSpec | undefined): string {
  if (!selector) return 'null';
  const labels = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const expressions = (selector.matchExpressions ?? []).map((e) => [e.key, e.operator, e.values ?? []]);
  return JSON.stringify([labels, expressions]);
}

function validateDeploymentSpec(spec: DeploymentSpec): FieldError[] {
  const errors: FieldError[] = [];
  const labels = spec.template?.metadata?.labels;
  if (!spec.selector) {
    errors.push(required('spec.selector'));
  } else if (isEmptySelector(spec.selector)) {
    errors.push(invalid('spec.selector', spec.selector, 'empty selector is invalid for deployment'));
  } else {
    const selectorErrors = validateLabelSelectorSpec(spec.selector, 'spec.selector');
    errors.push(...selectorErrors);
    if (selectorErrors.length === 0 && hasKnownOperators(spec.selector) && !labelSelectorFromObject(spec.selector).matches(labels)) {
      errors.push(invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
    }
  }
  errors.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  errors.push(...validateContainers(spec));
  if (spec.strategy) errors.push(...validateStrategy(spec.strategy));
  if (spec.rollbackTo?.revision !== undefined && spec.rollbackTo.revision < 0) {
    errors.push(invalid('spec.rollbackTo.revision', spec.rollbackTo.revision, 'must be greater than or equal to 0'));
  }
  const policy = spec.podReplacementPolicy;
  if (policy !== undefined && !(POD_REPLACEMENT_POLICIES as readonly string[]).includes(policy)) {
    errors.push(notSupported('spec.podReplacementPolicy', policy, POD_REPLACEMENT_POLICIES));
  }
  return errors;
}

/** An unknown operator is the schema's to report; the selector cannot be evaluated then. */
function hasKnownOperators(selector: LabelSelectorSpec): boolean {
  return (selector.matchExpressions ?? []).every((e) => SELECTOR_OPERATORS.includes(e.operator));
}

function isEmptySelector(selector: LabelSelectorSpec): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}


function validateContainers(spec: DeploymentSpec): FieldError[] {
  const containers = spec.template?.spec?.containers ?? [];
  if (containers.length === 0) return [required('spec.template.spec.containers')];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((container, i) => {
    const at = `spec.template.spec.containers[${i}].name`;
    if (container.name === undefined) return; // the schema reports a missing name
    errors.push(...isDNS1123Label(container.name).map((msg) => invalid(at, container.name, msg)));
    if (seen.has(container.name)) errors.push(duplicate(at, container.name));
    seen.add(container.name);
  });
  return errors;
}

/** A number, or a percentage such as `25%`. */
function parseIntOrPercent(value: number | string): { value: number; percent: boolean } | undefined {
  if (typeof value === 'number') return { value, percent: false };
  const match = /^([0-9]+)%$/.exec(value);
  return match ? { value: Number(match[1]), percent: true } : undefined;
}

function validateStrategy(strategy: DeploymentStrategy): FieldError[] {
  const errors: FieldError[] = [];
  const rollingUpdate = strategy.rollingUpdate;
  if (strategy.type === 'Recreate' && rollingUpdate) {
    return [forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")];
  }
  if (!rollingUpdate) return errors;
  const parsed: Record<'maxUnavailable' | 'maxSurge', number> = { maxUnavailable: 0, maxSurge: 0 };
  for (const field of ['maxUnavailable', 'maxSurge'] as const) {
    const raw = rollingUpdate[field];
    if (raw === undefined) continue;
    const at = `spec.strategy.rollingUpdate.${field}`;
    const value = parseIntOrPercent(raw);
    if (!value) errors.push(invalid(at, raw, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%')"));
    else if (value.value < 0) errors.push(invalid(at, raw, 'must be greater than or equal to 0'));
    else if (value.percent && value.value > 100) errors.push(invalid(at, raw, 'must not be greater than 100%'));
    else parsed[field] = value.value;
  }
  if (errors.length === 0 && rollingUpdate.maxUnavailable !== undefined && parsed.maxUnavailable === 0 && parsed.maxSurge === 0) {
    errors.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', rollingUpdate.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  return errors;
}

/** A value an older version's annotation carried that its field cannot hold stays an annotation: refuse it here. */
function validateAnnotatedFields(obj: Deployment): FieldError[] {
  const rollbackTo = obj.metadata?.annotations?.[ROLLBACK_TO_ANNOTATION];
  if (rollbackTo === undefined) return [];
  return [invalid(`metadata.annotations[${ROLLBACK_TO_ANNOTATION}]`, rollbackTo, 'must be a revision number (a non-negative integer)')];
}
