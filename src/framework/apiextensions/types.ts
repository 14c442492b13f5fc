/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: the shapes of k8s.io/apiextensions-apiserver,
 * declared with the framework's decorators. The hub and v1 have the same shape.
 */
import { Condition, KubeObject } from '../api';
import { CREATED_AT_COLUMN, Field, Hub, Resource, type JSONSchemaProps } from '../runtime';

export const APIEXTENSIONS_GROUP = 'apiextensions.k8s.io';

/** Keeps a CRD until its custom resources are deleted. */
export const CUSTOM_RESOURCE_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** The condition types of a CRD's status. */
export const NAMES_ACCEPTED = 'NamesAccepted';
export const ESTABLISHED = 'Established';
export const TERMINATING = 'Terminating';

export class CustomResourceDefinitionNames {
  @Field(() => String, { required: true, description: 'plural is the plural name of the resource to serve.' })
  plural!: string;

  @Field(() => String, { description: 'singular is the singular name of the resource. Defaults to lowercased kind.' })
  singular?: string;

  @Field(() => String, { array: true, listType: 'atomic', description: 'shortNames are short names for the resource.' })
  shortNames?: string[];

  @Field(() => String, { required: true, description: 'kind is the serialized kind of the resource.' })
  kind!: string;

  @Field(() => String, { description: 'listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".' })
  listKind?: string;

  @Field(() => String, { array: true, listType: 'atomic', description: "categories is a list of grouped resources this custom resource belongs to (e.g. 'all')." })
  categories?: string[];
}

export class CustomResourceValidation {
  @Field(undefined, { schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, description: 'openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning.' })
  openAPIV3Schema?: JSONSchemaProps;
}

/** The status subresource has no settings: `status: {}` enables it. */
export class CustomResourceSubresourceStatus {}

export class CustomResourceSubresourceScale {
  @Field(() => String, { required: true, description: 'specReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale spec.replicas.' })
  specReplicasPath!: string;

  @Field(() => String, { required: true, description: 'statusReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale status.replicas.' })
  statusReplicasPath!: string;

  @Field(() => String, { description: 'labelSelectorPath defines the JSON path inside of a custom resource that corresponds to Scale status.selector.' })
  labelSelectorPath?: string;
}

export class CustomResourceSubresources {
  @Field(() => CustomResourceSubresourceStatus, { description: 'status indicates the custom resource should serve a /status subresource.' })
  status?: CustomResourceSubresourceStatus;

  @Field(() => CustomResourceSubresourceScale, { description: 'scale indicates the custom resource should serve a /scale subresource.' })
  scale?: CustomResourceSubresourceScale;
}

export class CustomResourceColumnDefinition {
  @Field(() => String, { required: true, description: 'name is a human readable name for the column.' })
  name!: string;

  @Field(() => String, { required: true, description: 'type is an OpenAPI type definition for this column.' })
  type!: 'integer' | 'number' | 'string' | 'boolean' | 'date';

  @Field(() => String, { description: 'format is an optional OpenAPI type definition for this column.' })
  format?: string;

  @Field(() => String, { description: 'description is a human readable description of this column.' })
  description?: string;

  @Field(() => Number, { type: 'integer', format: 'int32', description: 'priority is an integer defining the relative importance of this column.' })
  priority?: number;

  @Field(() => String, { required: true, description: 'jsonPath is a simple JSON path evaluated against each custom resource to produce the value for this column.' })
  jsonPath!: string;
}

export class SelectableField {
  @Field(() => String, { required: true, description: 'jsonPath is a simple JSON path which is evaluated against each custom resource to produce a field selector value.' })
  jsonPath!: string;
}

export class CustomResourceDefinitionVersion {
  @Field(() => String, { required: true, description: 'name is the version name, e.g. "v1", "v2beta1".' })
  name!: string;

  @Field(() => Boolean, { required: true, description: 'served is a flag enabling/disabling this version from being served via REST APIs.' })
  served!: boolean;

  @Field(() => Boolean, { required: true, description: 'storage indicates this version should be used when persisting custom resources to storage.' })
  storage!: boolean;

  @Field(() => Boolean, { description: 'deprecated indicates this version of the custom resource API is deprecated.' })
  deprecated?: boolean;

  @Field(() => String, { description: 'deprecationWarning overrides the default warning returned to API clients.' })
  deprecationWarning?: string;

  @Field(() => CustomResourceValidation, { description: 'schema describes the schema used for validation, pruning, and defaulting of this version.' })
  schema?: CustomResourceValidation;

  @Field(() => CustomResourceSubresources, { description: 'subresources specify what subresources this version of the defined custom resource have.' })
  subresources?: CustomResourceSubresources;

  @Field(() => CustomResourceColumnDefinition, { array: true, listType: 'atomic', description: 'additionalPrinterColumns specifies additional columns returned in Table output.' })
  additionalPrinterColumns?: CustomResourceColumnDefinition[];

  @Field(() => SelectableField, { array: true, listType: 'atomic', description: 'selectableFields specifies paths to fields that may be used as field selectors.' })
  selectableFields?: SelectableField[];
}

export class ServiceReference {
  @Field(() => String, { required: true })
  namespace!: string;

  @Field(() => String, { required: true })
  name!: string;

  @Field(() => String)
  path?: string;

  @Field(() => Number, { type: 'integer', format: 'int32' })
  port?: number;
}

export class WebhookClientConfig {
  @Field(() => String, { description: 'url gives the location of the webhook, in standard URL form (`scheme://host:port/path`).' })
  url?: string;

  @Field(() => ServiceReference, { description: 'service is a reference to the service for this webhook.' })
  service?: ServiceReference;

  @Field(() => String, { format: 'byte', description: "caBundle is a PEM encoded CA bundle which will be used to validate the webhook's server certificate." })
  caBundle?: string;
}

export class WebhookConversion {
  @Field(() => WebhookClientConfig, { description: 'clientConfig is the instructions for how to call the webhook if strategy is `Webhook`.' })
  clientConfig?: WebhookClientConfig;

  @Field(() => String, { array: true, listType: 'atomic', required: true, description: 'conversionReviewVersions is an ordered list of preferred `ConversionReview` versions the Webhook expects.' })
  conversionReviewVersions!: string[];
}

export class CustomResourceConversion {
  @Field(() => String, { required: true, description: 'strategy specifies how custom resources are converted between versions: None or Webhook.' })
  strategy!: 'None' | 'Webhook';

  @Field(() => WebhookConversion, { description: 'webhook describes how to call the conversion webhook. Required when `strategy` is set to `"Webhook"`.' })
  webhook?: WebhookConversion;
}

export class CustomResourceDefinitionSpec {
  @Field(() => String, { required: true, description: 'group is the API group of the defined custom resource.' })
  group!: string;

  @Field(() => CustomResourceDefinitionNames, { required: true, description: 'names specify the resource and kind names for the custom resource.' })
  names!: CustomResourceDefinitionNames;

  @Field(() => String, { required: true, description: 'scope indicates whether the defined custom resource is cluster- or namespace-scoped.' })
  scope!: 'Namespaced' | 'Cluster';

  @Field(() => CustomResourceDefinitionVersion, { array: true, listType: 'atomic', required: true, description: 'versions is the list of all API versions of the defined custom resource.' })
  versions!: CustomResourceDefinitionVersion[];

  @Field(() => CustomResourceConversion, { description: 'conversion defines conversion settings for the CRD.' })
  conversion?: CustomResourceConversion;

  @Field(() => Boolean, { description: 'preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage.' })
  preserveUnknownFields?: boolean;
}

export class CustomResourceDefinitionStatus {
  @Field(() => Condition, { array: true, listType: 'map', listMapKeys: ['type'], description: 'conditions indicate state for particular aspects of a CustomResourceDefinition.' })
  conditions?: Condition[];

  @Field(() => CustomResourceDefinitionNames, { description: 'acceptedNames are the names that are actually being used to serve discovery.' })
  acceptedNames?: CustomResourceDefinitionNames;

  @Field(() => String, { array: true, listType: 'atomic', description: 'storedVersions lists all versions of CustomResources that were ever persisted.' })
  storedVersions?: string[];
}

/** The internal (hub) CustomResourceDefinition. */
@Hub({ group: APIEXTENSIONS_GROUP, kind: 'CustomResourceDefinition' })
export class CustomResourceDefinition extends KubeObject {
  @Field(() => CustomResourceDefinitionSpec, { required: true, description: 'spec describes how the user wants the resources to appear.' })
  spec!: CustomResourceDefinitionSpec;

  @Field(() => CustomResourceDefinitionStatus, { description: 'status indicates the actual state of the CustomResourceDefinition.' })
  status?: CustomResourceDefinitionStatus;
}

@Resource({
  group: APIEXTENSIONS_GROUP,
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  scope: 'Cluster',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  description: 'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.',
  subresources: { status: true },
  printerColumns: [CREATED_AT_COLUMN],
})
export class CustomResourceDefinitionV1 extends CustomResourceDefinition {}
