/**
 * A CRD's custom resource as classes, made at runtime the way a typed group is
 * declared: one class per served version whose top-level fields are described by
 * that version's schema (`@Field` with `schema`), and a hub that keeps any value
 * of every top-level field, so that each version goes through it unchanged.
 * Conversion between versions does not pass through the hub: each version's
 * Store sees only its own version (see ConvertingStorage).
 */
import { KubeObject } from '../api';
import { Field, Hub, Resource, type Class, type PrinterColumn, type ResourceOptions, type Scheme } from '../runtime';
import type { CustomResourceSchema } from './crd-schema';
import { applyDefaults } from './schema-defaulting';
import type { CustomResourceDefinition, CustomResourceDefinitionNames, CustomResourceDefinitionVersion, SelectableField } from './types';

/** Top-level fields every object has; their shapes are the framework's. */
const OBJECT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);
const ANY_VALUE: CustomResourceSchema = { 'x-kubernetes-preserve-unknown-fields': true };
/** A status the schema does not describe: kept as an object, its fields pruned as kube-apiserver prunes them. */
const UNDESCRIBED_STATUS: CustomResourceSchema = { type: 'object' };

export interface ServedVersion {
  name: string;
  type: Class;
  schema: CustomResourceSchema;
  selectableFields: SelectableField[];
  /** The warning every request to this version gets, when it is deprecated. */
  deprecationWarning?: string;
}

export interface CustomResourceTypes {
  group: string;
  kind: string;
  hub: Class;
  /** Served versions, in the CRD's order. */
  versions: ServedVersion[];
}

/** Builds the classes of a CRD from its spec and accepted names. */
export function buildCustomResourceTypes(crd: CustomResourceDefinition): CustomResourceTypes {
  const { group } = crd.spec;
  const names = crd.status?.acceptedNames ?? crd.spec.names;
  const served = crd.spec.versions.filter((v) => v.served);
  const hub = namedClass(names.kind);
  const hubFields = new Set<string>();
  const versions = served.map((version): ServedVersion => {
    const schema = (version.schema?.openAPIV3Schema ?? { type: 'object' }) as CustomResourceSchema;
    const type = namedClass(names.kind);
    for (const [field, fieldSchema] of topLevelFields(version, schema)) {
      Field(undefined, { schema: fieldSchema, required: schema.required?.includes(field), nullable: fieldSchema.nullable })(type.prototype, field);
      hubFields.add(field);
    }
    Resource(resourceOptions(crd, names, version, schema, () => hub))(type);
    return { name: version.name, type, schema, selectableFields: version.selectableFields ?? [], deprecationWarning: deprecationWarning(group, names.kind, version) };
  });
  for (const field of hubFields) Field(undefined, { schema: ANY_VALUE })(hub.prototype, field);
  // The hub keeps whatever a version keeps: each version's own class decides what survives.
  Hub({ group, kind: names.kind, preserveUnknownFields: true })(hub);
  return { group, kind: names.kind, hub, versions };
}

/** Adds the hub and the given versions (default: all) to a scheme, each version with its schema's defaulting. */
export function registerCustomResourceTypes(scheme: Scheme, types: CustomResourceTypes, versions: ServedVersion[] = types.versions): void {
  scheme.addKnownTypes(types.hub, ...versions.map((v) => v.type));
  for (const version of versions) scheme.addDefaulter(version.type, (obj: object) => applyDefaults(obj as Record<string, unknown>, version.schema));
}

function topLevelFields(version: CustomResourceDefinitionVersion, schema: CustomResourceSchema): [string, CustomResourceSchema][] {
  const fields = Object.entries(schema.properties ?? {}).filter(([name]) => !OBJECT_FIELDS.has(name));
  if (version.subresources?.status && !schema.properties?.status) fields.push(['status', UNDESCRIBED_STATUS]);
  return fields;
}

function resourceOptions(
  crd: CustomResourceDefinition,
  names: CustomResourceDefinitionNames,
  version: CustomResourceDefinitionVersion,
  schema: CustomResourceSchema,
  hub: () => Class,
): ResourceOptions {
  const scale = version.subresources?.scale;
  return {
    group: crd.spec.group,
    version: version.name,
    kind: names.kind,
    plural: names.plural,
    singular: names.singular,
    listKind: names.listKind || undefined,
    scope: crd.spec.scope,
    shortNames: names.shortNames,
    categories: names.categories,
    description: schema.description,
    printerColumns: (version.additionalPrinterColumns ?? []).map(
      (c): PrinterColumn => ({ name: c.name, type: c.type, jsonPath: c.jsonPath, description: c.description, priority: c.priority, format: c.format }),
    ),
    subresources: {
      status: version.subresources?.status !== undefined,
      ...(scale ? { scale: { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath, labelSelectorPath: scale.labelSelectorPath } } : {}),
    },
    selectableFields: (version.selectableFields ?? []).map((field) => field.jsonPath.slice(1)),
    strategicMergePatch: false,
    // Pruning stops at a node that keeps unknown fields, the root included.
    preserveUnknownFields: schema['x-kubernetes-preserve-unknown-fields'] === true,
    hub,
  };
}

/** kube-apiserver's default wording, or the CRD's own. */
function deprecationWarning(group: string, kind: string, version: CustomResourceDefinitionVersion): string | undefined {
  if (!version.deprecated) return undefined;
  return version.deprecationWarning ?? `${group}/${version.name} ${kind} is deprecated`;
}

/** A class named after the kind (decode errors and logs show the name). */
function namedClass(kind: string): Class {
  const classes = { [kind]: class extends KubeObject {} };
  return classes[kind];
}
