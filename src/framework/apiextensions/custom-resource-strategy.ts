/**
 * How the objects of one served version of a CRD behave: the Store checks the
 * version's schema (types, required, enum, pattern, ranges); this adds the rest
 * of the schema's rules and its CEL validation rules, the version's selectable
 * fields, and refuses new objects while the CRD is being deleted.
 */
import { StatusError, type FieldError } from '../api/status';
import type { RESTStrategy } from '../registry/strategy';
import { validateAgainstSchema, type GroupVersionKind, type JSONSchemaProps, type KubeObject, type Scheme } from '../runtime';
import type { CustomResourceSchema } from './crd-schema';
import { selectableFieldReaders } from './selectable-fields';
import { validateSchemaExtras } from './schema-validation';
import type { SelectableField } from './types';
import { evaluateValidationRules, hasValidationRules } from './validation-rules';

const RULES_NOT_CHECKED: FieldError = {
  type: 'FieldValueInvalid',
  field: '<nil>',
  detail: 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};

export interface CustomResourceStrategyOptions {
  /** The scheme of the served version (its class and the hub). */
  scheme: Scheme;
  gvk: GroupVersionKind;
  schema: CustomResourceSchema;
  selectableFields: SelectableField[];
  /** True once the CRD is being deleted. */
  terminating: () => boolean;
}

export function customResourceStrategy(options: CustomResourceStrategyOptions): RESTStrategy {
  const { scheme, gvk, schema } = options;
  const served = (obj: KubeObject) => scheme.toPlainAs(obj, gvk);
  const errorsOf = (obj: KubeObject, old?: KubeObject): FieldError[] => {
    const plain = served(obj);
    const { apiVersion: _a, kind: _k, ...fields } = plain;
    const errors = validateSchemaExtras(fields, schema, '');
    // As in kube-apiserver, rules only see values of their schema's types and enums (the Store reports the others).
    const blocking = validateAgainstSchema(fields, schema as JSONSchemaProps, '').some((e) => e.type === 'FieldValueTypeInvalid' || e.type === 'FieldValueNotSupported');
    if (blocking) return hasValidationRules(schema) ? [...errors, RULES_NOT_CHECKED] : errors;
    return [...errors, ...evaluateValidationRules(plain, old && served(old), schema)];
  };
  return {
    prepareForCreate() {
      if (options.terminating()) {
        throw new StatusError({ code: 405, reason: 'MethodNotAllowed', message: 'create not allowed while custom resource definition is terminating' });
      }
    },
    validate: (_ctx, obj) => errorsOf(obj),
    validateUpdate: (_ctx, obj, old) => errorsOf(obj, old),
    validateStatusUpdate: (_ctx, obj, old) => errorsOf(obj, old),
    selectableFields: selectableFieldReaders(options.selectableFields),
  };
}
