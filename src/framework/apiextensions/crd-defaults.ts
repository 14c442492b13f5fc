/** The defaults apiextensions.k8s.io/v1 gives a CRD: names.singular, names.listKind and conversion strategy None. */
import type { Scheme } from '../runtime';
import { CustomResourceConversion, CustomResourceDefinitionNames, CustomResourceDefinitionSpec } from './types';

export function defaultCustomResourceDefinitions(scheme: Scheme): void {
  scheme.addDefaulter(CustomResourceDefinitionNames, (names) => {
    if (names.kind) {
      names.singular ??= names.kind.toLowerCase();
      names.listKind ??= `${names.kind}List`;
    }
  });
  scheme.addDefaulter(CustomResourceDefinitionSpec, (spec) => {
    spec.conversion ??= Object.assign(new CustomResourceConversion(), { strategy: 'None' as const });
  });
}
