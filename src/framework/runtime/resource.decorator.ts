import type { Class } from './class';
import { typeMetadata } from './metadata-store';
import type { PrinterColumn } from './printer-column';

/** The scale subresource: where replicas live in spec and status (dot paths such as `.spec.replicas`). */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceOptions {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** Default: kind in lower case. */
  singular?: string;
  /** The kind of its lists; default: kind + `List`. */
  listKind?: string;
  scope: 'Namespaced' | 'Cluster';
  shortNames?: string[];
  categories?: string[];
  description?: string;
  printerColumns?: PrinterColumn[];
  subresources?: { status?: boolean; scale?: ScaleSubresource };
  /**
   * Whether strategic merge patch applies to it. Default true; false for a
   * resource described by a schema alone, as a custom resource is: kube-apiserver
   * takes only JSON patch, merge patch and apply for those, and answers 415 otherwise.
   */
  strategicMergePatch?: boolean;
  /**
   * Keep top-level fields the class does not declare, as a custom resource whose
   * schema sets x-kubernetes-preserve-unknown-fields at its root does. Default false.
   */
  preserveUnknownFields?: boolean;
  /**
   * Fields a field selector may name beside metadata.name and metadata.namespace,
   * as a custom resource's selectableFields declare them (`spec.color`); published
   * in OpenAPI as x-kubernetes-selectable-fields. Their values come from the strategy.
   */
  selectableFields?: string[];
  /** The internal type; default: the @Hub registered for (group, kind). */
  hub?: () => Class;
}

/** A versioned kind served as a REST resource. */
export function Resource(opts: ResourceOptions): ClassDecorator {
  return (target) => typeMetadata.setKind(target, { role: 'resource', options: opts });
}
