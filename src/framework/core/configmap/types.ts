/**
 * The core group's ConfigMap (`v1`): string and binary configuration a core
 * cluster serves, among it `kube-system/extension-apiserver-authentication`,
 * which aggregated servers read their front-proxy settings from. Shapes as in k8s.io/api.
 */
import { KubeObject } from '../../api';
import { Field, Hub, Resource } from '../../runtime';

/** The internal (hub) ConfigMap. */
@Hub({ group: '', kind: 'ConfigMap' })
export class ConfigMap extends KubeObject {
  @Field(() => Boolean, {
    description: 'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).',
  })
  immutable?: boolean;

  @Field(() => String, { map: true, description: 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.' })
  data?: Record<string, string>;

  @Field(() => String, {
    map: true,
    format: 'byte',
    description: 'BinaryData contains the binary data, base64-encoded on the wire. Its keys may not overlap with those of Data.',
  })
  binaryData?: Record<string, string>;
}

/** `v1` ConfigMap: the same shape on the wire. */
@Resource({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  scope: 'Namespaced',
  shortNames: ['cm'],
  description: 'ConfigMap holds configuration data for pods to consume.',
  printerColumns: [
    {
      name: 'Data',
      // kube-apiserver declares the count a string column.
      type: 'string',
      description: 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.',
      cell: (configMap: ConfigMap) => Object.keys(configMap.data ?? {}).length + Object.keys(configMap.binaryData ?? {}).length,
    },
  ],
})
export class ConfigMapV1 extends ConfigMap {}
