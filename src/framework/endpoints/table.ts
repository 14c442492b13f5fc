/**
 * meta.k8s.io/v1 Table rendering from a resource's printer columns: Name first,
 * the declared columns (read by JSONPath or computed), Age last unless the
 * resource declares its own creation-time column.
 */
import { AGE_COLUMN, isComputedPrinterColumn, type JSONPathPrinterColumn, type PrinterColumn } from '../runtime';
import { compileJSONPath, type CompiledPath } from './jsonpath';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

interface Column {
  definition: TableColumnDefinition;
  cell: (obj: Record<string, unknown>, now: number) => unknown;
}

/** kube's duration.HumanDuration: the AGE column's wording. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** A timestamp's age; kube's `<unknown>` for what is no time. */
function age(value: unknown, now: number): string {
  if (typeof value !== 'string') return '<unknown>';
  const t = Date.parse(value);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

function jsonPathCell(path: CompiledPath, type: JSONPathPrinterColumn['type']) {
  return (obj: Record<string, unknown>, now: number): unknown => {
    const found = path(obj);
    if (found.length === 0) return null;
    if (type === 'date') return age(found[0], now);
    if (found.length === 1) {
      const v = found[0];
      return typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
    }
    return found.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(' ');
  };
}

function columnOf(column: PrinterColumn): Column {
  const { name, type, format = '', description = '', priority = 0 } = column;
  return {
    definition: { name, type, format, description, priority },
    cell: isComputedPrinterColumn(column) ? (obj) => column.cell(obj) : jsonPathCell(compileJSONPath(column.jsonPath), type),
  };
}

const NAME_COLUMN: Column = {
  definition: { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  cell: (obj) => (obj.metadata as { name?: string } | undefined)?.name ?? '',
};

/** Names kube gives the column of an object's creation time: a column so named replaces the implicit Age. */
const CREATION_TIME_COLUMNS = new Set(['age', 'created at']);

export class TableConvertor {
  private readonly columns: Column[];

  constructor(printerColumns: readonly PrinterColumn[]) {
    const declared = printerColumns.map(columnOf);
    const hasCreationTime = printerColumns.some((c) => CREATION_TIME_COLUMNS.has(c.name.toLowerCase()));
    this.columns = [NAME_COLUMN, ...declared, ...(hasCreationTime ? [] : [columnOf(AGE_COLUMN)])];
  }

  /** A Table of the given objects (in the requested version). */
  convert(
    objects: Record<string, unknown>[],
    opts: { apiVersion: string; includeObject: IncludeObject; listMeta?: Table['metadata']; withColumns?: boolean },
  ): Table {
    const now = Date.now();
    return {
      kind: 'Table',
      apiVersion: opts.apiVersion,
      metadata: opts.listMeta ?? {},
      columnDefinitions: opts.withColumns === false ? null : this.columns.map((c) => c.definition),
      rows: objects.map((obj) => ({
        cells: this.columns.map((c) => c.cell(obj, now)),
        object: includedObject(obj, opts.includeObject, opts.apiVersion),
      })),
    };
  }
}

/** The metadata-only form of an object (PartialObjectMetadata). */
export function partialObjectMetadata(obj: Record<string, unknown>, apiVersion: string): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata };
}

function includedObject(obj: Record<string, unknown>, include: IncludeObject, apiVersion: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return partialObjectMetadata(obj, apiVersion);
}
