export type { Class } from './class';
export { Field, type FieldOptions, type FieldType, type FieldTypeThunk } from './field.decorator';
export { Hub, type HubOptions } from './hub.decorator';
export { Kind, type KindOptions } from './kind.decorator';
export { Resource, type ResourceOptions, type ScaleSubresource } from './resource.decorator';
export {
  AGE_COLUMN,
  CREATED_AT_COLUMN,
  isComputedPrinterColumn,
  type ComputedPrinterColumn,
  type JSONPathPrinterColumn,
  type PrinterColumn,
  type TableCell,
} from './printer-column';
export { Scheme, type ConversionFunc, type DecodeOptions, type DecodeResult, type DefaulterFunc, type ResourceInfo } from './scheme';
export type { JSONSchemaProps } from './schema';
export { validateAgainstSchema } from './schema-validation';
export { compareKubeVersions } from './version-order';
export {
  apiVersionOf,
  formatGroupVersionKind,
  INTERNAL_VERSION,
  KubeObject,
  parseApiVersion,
  type GroupVersion,
  type GroupVersionKind,
  type GroupVersionResource,
} from '../api/meta';
