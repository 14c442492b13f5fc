/** The checks addKnownTypes makes on decorator options, each failure naming the class. */
import { INTERNAL_VERSION } from '../api/meta';
import type { Class } from './class';
import { typeMetadata, type KindRecord } from './metadata-store';
import { isComputedPrinterColumn, type PrinterColumn } from './printer-column';
import type { ResourceOptions } from './resource.decorator';

const KIND_NAME = /^[A-Z][A-Za-z0-9]*$/;
const VERSION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const GROUP_NAME = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RESOURCE_NAME = /^[a-z][a-z0-9]*$/;
const COLUMN_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'date']);

export function validateRegistration(cls: Class, record: KindRecord): void {
  const problems: string[] = [];
  const { group, kind } = record.options;
  if (!GROUP_NAME.test(group)) problems.push(`group "${group}" is not a DNS subdomain ('' is the core group)`);
  if (!KIND_NAME.test(kind)) problems.push(`kind "${kind}" must be CamelCase, starting with an upper-case letter`);
  if (record.role !== 'hub') {
    const { version } = record.options;
    if (version === INTERNAL_VERSION || !VERSION_NAME.test(version)) problems.push(`version "${version}" is not a valid version name`);
  }
  if (record.role === 'resource') problems.push(...resourceProblems(cls, record.options));
  if (problems.length > 0) throw new Error(`${cls.name}: ${problems.join('; ')}`);
}

function resourceProblems(cls: Class, opts: ResourceOptions): string[] {
  const problems: string[] = [];
  if (!RESOURCE_NAME.test(opts.plural)) problems.push(`plural "${opts.plural}" must be lower-case letters and digits`);
  if (opts.singular !== undefined && !RESOURCE_NAME.test(opts.singular)) problems.push(`singular "${opts.singular}" must be lower-case letters and digits`);
  if (opts.scope !== 'Namespaced' && opts.scope !== 'Cluster') problems.push(`scope must be 'Namespaced' or 'Cluster'`);
  for (const name of opts.shortNames ?? []) if (!RESOURCE_NAME.test(name)) problems.push(`short name "${name}" must be lower-case letters and digits`);
  if (!typeMetadata.fieldsOf(cls).some((f) => f.property === 'metadata')) problems.push('a resource extends KubeObject (it has no metadata field)');
  for (const column of opts.printerColumns ?? []) {
    if (!column.name) problems.push('a printer column has no name');
    if (!COLUMN_TYPES.has(column.type)) problems.push(`printer column "${column.name}" has type "${column.type}"; use one of ${[...COLUMN_TYPES].join(', ')}`);
    problems.push(...columnSourceProblems(column));
  }
  const scale = opts.subresources?.scale;
  if (scale) {
    if (!scale.specReplicasPath.startsWith('.spec.')) problems.push(`scale specReplicasPath "${scale.specReplicasPath}" must start with ".spec."`);
    if (!scale.statusReplicasPath.startsWith('.status.')) problems.push(`scale statusReplicasPath "${scale.statusReplicasPath}" must start with ".status."`);
    if (scale.labelSelectorPath !== undefined && !/^\.(spec|status)\./.test(scale.labelSelectorPath)) {
      problems.push(`scale labelSelectorPath "${scale.labelSelectorPath}" must start with ".spec." or ".status."`);
    }
  }
  return problems;
}

/** A column is read by a JSONPath or computed by a function, never both. */
function columnSourceProblems(column: PrinterColumn): string[] {
  if (isComputedPrinterColumn(column)) {
    return 'jsonPath' in column ? [`printer column "${column.name}" has both a jsonPath and a cell function; give one`] : [];
  }
  if (typeof column.jsonPath !== 'string') return [`printer column "${column.name}" has neither a jsonPath nor a cell function`];
  return column.jsonPath.startsWith('.') ? [] : [`printer column "${column.name}": jsonPath "${column.jsonPath}" must start with "."`];
}
