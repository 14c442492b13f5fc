/** CRDs as typed internal objects, built from plain v1 JSON the way the server reads them. */
import { Scheme } from '../../../src/framework/runtime';
import { CustomResourceDefinition, CustomResourceDefinitionV1 } from '../../../src/framework/apiextensions';
import { defaultCustomResourceDefinitions } from '../../../src/framework/apiextensions/crd-defaults';

const scheme = new Scheme().addKnownTypes(CustomResourceDefinition, CustomResourceDefinitionV1);
defaultCustomResourceDefinitions(scheme);

type Plain = Record<string, unknown>;

/** A valid CRD of `widgets.<group>`; `spec` and `status` are merged over it. */
export function crd(group = 'toys.example.com', spec: Plain = {}, status?: Plain): CustomResourceDefinition {
  const names = { kind: 'Widget', plural: 'widgets', ...(spec.names as Plain | undefined) };
  const plain = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${group}`, generation: 1 },
    spec: {
      group,
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } }],
      ...spec,
      names,
    },
    ...(status ? { status } : {}),
  };
  return scheme.convert(scheme.fromPlain(plain), { group: 'apiextensions.k8s.io', version: '__internal', kind: 'CustomResourceDefinition' }) as CustomResourceDefinition;
}
