/** The Table columns of each kind. */
import type { PrinterColumn } from '../../index';

const condition = (type: string, what: string): PrinterColumn[] => [
  { name: type, type: 'string', jsonPath: `.status.conditions[?(@.type=="${type}")].status`, description: what },
  { name: 'Reason', type: 'string', jsonPath: `.status.conditions[?(@.type=="${type}")].reason` },
];

export const MEMBER_CLUSTER_COLUMNS: PrinterColumn[] = [
  { name: 'Endpoint', type: 'string', jsonPath: '.spec.apiEndpoint' },
  ...condition('Ready', 'Whether the last health probe succeeded.'),
];

export const FEDERATED_TYPE_CONFIG_COLUMNS: PrinterColumn[] = [
  { name: 'Target', type: 'string', jsonPath: '.spec.targetType.kind' },
  { name: 'Federated', type: 'string', jsonPath: '.status.federatedType.plural' },
  { name: 'Propagation', type: 'string', jsonPath: '.spec.propagation' },
  ...condition('Established', 'Whether the host serves the federated type.'),
];

export const FEDERATED_OBJECT_COLUMNS: PrinterColumn[] = [
  { name: 'Clusters', type: 'string', jsonPath: '.status.clusters[*].clusterName', description: 'Clusters the object is or should be in.' },
  ...condition('Propagated', 'Whether every selected cluster has the object as rendered.'),
];

export const POLICY_COLUMNS: PrinterColumn[] = [
  { name: 'Kinds', type: 'string', jsonPath: '.spec.resourceSelectors[*].kind' },
];

export const BINDING_COLUMNS: PrinterColumn[] = [
  { name: 'Kind', type: 'string', jsonPath: '.spec.resource.kind' },
  { name: 'Resource', type: 'string', jsonPath: '.spec.resource.name' },
  { name: 'Clusters', type: 'string', jsonPath: '.spec.clusters[*]' },
  ...condition('Propagated', 'Whether every selected cluster has the object as rendered.'),
];

export const LEASE_COLUMNS: PrinterColumn[] = [
  { name: 'Holder', type: 'string', jsonPath: '.spec.holderIdentity' },
  { name: 'Renewed', type: 'date', jsonPath: '.spec.renewTime' },
];
