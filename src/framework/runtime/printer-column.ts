/**
 * Table columns a resource declares beside NAME: read by a JSONPath or computed
 * by a function, with the column definition fields of meta.k8s.io/v1 Tables.
 */

/** One cell of a Table row, as kube's printers put it on the wire. */
export type TableCell = string | number | boolean | null;

/** What every Table column declares (a meta.k8s.io/v1 TableColumnDefinition). */
interface PrinterColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  description?: string;
  /** 0 shows by default; higher only with `-o wide`. */
  priority?: number;
  format?: string;
}

/** A column read from the object by a simple JSONPath; a `date` column shows the time since. */
export interface JSONPathPrinterColumn extends PrinterColumnDefinition {
  /** A simple JSONPath into the object, e.g. `.spec.replicas`. */
  jsonPath: string;
}

/**
 * A column computed from the object, as kube-apiserver's built-in printers compute
 * theirs (a ConfigMap's count of keys, an APIService's `Local` or `<namespace>/<name>`).
 */
export interface ComputedPrinterColumn<T extends object = object> extends PrinterColumnDefinition {
  /**
   * The cell of one object in the version being served: plain JSON data with the
   * class's fields (any of which may be missing), never its methods. Must not
   * change the object. What it returns is the cell as sent, whatever the column's
   * type (a `date` column computed here is not turned into an age).
   * Declared as a method so that a function of a resource class fits `ComputedPrinterColumn`.
   */
  cell(object: T): TableCell;
}

/**
 * An extra Table column. NAME comes first; AGE comes last unless the resource
 * declares its own creation-time column, named `Age` or (as kube's default
 * tables call it) `Created At`.
 */
export type PrinterColumn = JSONPathPrinterColumn | ComputedPrinterColumn;

/** Whether a column is computed by a function rather than read by a JSONPath. */
export function isComputedPrinterColumn(column: PrinterColumn): column is ComputedPrinterColumn {
  return typeof (column as Partial<ComputedPrinterColumn>).cell === 'function';
}

const CREATION_TIMESTAMP_DESCRIPTION = 'CreationTimestamp is the time the object was created.';

/** kube's AGE column: the time since the object was created. Implicitly last unless declared elsewhere. */
export const AGE_COLUMN: JSONPathPrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: CREATION_TIMESTAMP_DESCRIPTION,
};

/** The creation time as `2006-01-02T15:04:05Z`, as kube's default Table convertor prints it. */
function createdAt(object: { metadata?: { creationTimestamp?: string } }): TableCell {
  const time = Date.parse(object.metadata?.creationTimestamp ?? '');
  return Number.isNaN(time) ? null : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** kube's CREATED AT column (k8s.io/apiserver's default Table convertor), in place of AGE. */
export const CREATED_AT_COLUMN: ComputedPrinterColumn = {
  name: 'Created At',
  type: 'date',
  description: CREATION_TIMESTAMP_DESCRIPTION,
  cell: createdAt,
};
