/**
 * How the objects of one served version of a CRD behave: the Store checks the
 * version's schema (types, required, enum, pattern, ranges); this adds the rest
 * of the schema's rules, and refuses new objects while the CRD is being deleted.
 */
import { StatusError, type FieldError } from '../api/status';
import type { RESTStrategy } from '../registry/strategy';
import type { GroupVersionKind, KubeObject, Scheme } from '../runtime';
import type { CustomResourceSchema } from './crd-schema';
import { validateSchemaExtras } from './schema-validation';

export interface CustomResourceStrategyOptions {
  /** The scheme of the served version (its class and the hub). */
  scheme: Scheme;
  gvk: GroupVersionKind;
  schema: CustomResourceSchema;
  /** True once the CRD is being deleted. */
  terminating: () => boolean;
}

export function customResourceStrategy(options: CustomResourceStrategyOptions): RESTStrategy {
  const { scheme, gvk, schema } = options;
  const errorsOf = (obj: KubeObject): FieldError[] => {
    const { apiVersion: _a, kind: _k, ...plain } = scheme.toPlain(scheme.convert(obj, gvk));
    return validateSchemaExtras(plain, schema, '');
  };
  return {
    prepareForCreate() {
      if (options.terminating()) {
        throw new StatusError({ code: 405, reason: 'MethodNotAllowed', message: 'create not allowed while custom resource definition is terminating' });
      }
    },
    validate: (_ctx, obj) => errorsOf(obj),
    validateUpdate: (_ctx, obj) => errorsOf(obj),
    validateStatusUpdate: (_ctx, obj) => errorsOf(obj),
  };
}
