/**
 * The OpenAPI v2 document as gnostic's `openapi.v2.Document` protobuf, the only
 * form kubectl 1.27 and 1.28 parse before create, apply, replace and explain.
 * The messages below are the subset of gnostic-models' OpenAPIv2.proto this
 * encoder writes, with its package, field names and numbers. Vendor extensions
 * and other free-form values travel as `Any{yaml}`; JSON text is valid YAML.
 */
import { parse, Root, type Type } from 'protobufjs';
import type { Json } from './openapi-v3';

const OPENAPI_V2_PROTO = `
syntax = "proto3";
package openapi.v2;

message Any { string yaml = 2; }
message NamedAny { string name = 1; Any value = 2; }

message Document {
  string swagger = 1;
  Info info = 2;
  string host = 3;
  string base_path = 4;
  repeated string schemes = 5;
  repeated string consumes = 6;
  repeated string produces = 7;
  Paths paths = 8;
  Definitions definitions = 9;
  repeated NamedAny vendor_extension = 16;
}

message Info {
  string title = 1;
  string version = 2;
  string description = 3;
  repeated NamedAny vendor_extension = 7;
}

message Paths {
  repeated NamedAny vendor_extension = 1;
  repeated NamedPathItem path = 2;
}
message NamedPathItem { string name = 1; PathItem value = 2; }

message PathItem {
  string _ref = 1;
  Operation get = 2;
  Operation put = 3;
  Operation post = 4;
  Operation delete = 5;
  Operation options = 6;
  Operation head = 7;
  Operation patch = 8;
  repeated ParametersItem parameters = 9;
  repeated NamedAny vendor_extension = 10;
}

message Operation {
  repeated string tags = 1;
  string summary = 2;
  string description = 3;
  string operation_id = 5;
  repeated string produces = 6;
  repeated string consumes = 7;
  repeated ParametersItem parameters = 8;
  Responses responses = 9;
  repeated string schemes = 10;
  bool deprecated = 11;
  repeated NamedAny vendor_extension = 13;
}

message ParametersItem { oneof oneof { Parameter parameter = 1; } }
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }

message BodyParameter {
  string description = 1;
  string name = 2;
  string in = 3;
  bool required = 4;
  Schema schema = 5;
  repeated NamedAny vendor_extension = 6;
}

message NonBodyParameter {
  oneof oneof {
    QueryParameterSubSchema query_parameter_sub_schema = 3;
    PathParameterSubSchema path_parameter_sub_schema = 4;
  }
}

message QueryParameterSubSchema {
  bool required = 1;
  string in = 2;
  string description = 3;
  string name = 4;
  string type = 6;
  string format = 7;
  bool unique_items = 20;
  repeated NamedAny vendor_extension = 23;
}

message PathParameterSubSchema {
  bool required = 1;
  string in = 2;
  string description = 3;
  string name = 4;
  string type = 5;
  string format = 6;
  bool unique_items = 19;
  repeated NamedAny vendor_extension = 22;
}

message Responses {
  repeated NamedResponseValue response_code = 1;
  repeated NamedAny vendor_extension = 2;
}
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message ResponseValue { oneof oneof { Response response = 1; } }
message Response {
  string description = 1;
  SchemaItem schema = 2;
  repeated NamedAny vendor_extension = 5;
}
message SchemaItem { oneof oneof { Schema schema = 1; } }

message Definitions { repeated NamedSchema additional_properties = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message Properties { repeated NamedSchema additional_properties = 1; }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }

message Schema {
  string _ref = 1;
  string format = 2;
  string title = 3;
  string description = 4;
  Any default = 5;
  double multiple_of = 6;
  double maximum = 7;
  bool exclusive_maximum = 8;
  double minimum = 9;
  bool exclusive_minimum = 10;
  int64 max_length = 11;
  int64 min_length = 12;
  string pattern = 13;
  int64 max_items = 14;
  int64 min_items = 15;
  bool unique_items = 16;
  int64 max_properties = 17;
  int64 min_properties = 18;
  repeated string required = 19;
  repeated Any enum = 20;
  AdditionalPropertiesItem additional_properties = 21;
  TypeItem type = 22;
  ItemsItem items = 23;
  repeated Schema all_of = 24;
  Properties properties = 25;
  bool read_only = 27;
  Any example = 30;
  repeated NamedAny vendor_extension = 31;
}
`;

/** The response content type; kubectl also asks with the older `…spec.v2@v1.0+protobuf` spelling. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
export const OPENAPI_V2_PROTOBUF_ACCEPTED = [OPENAPI_V2_PROTOBUF, 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf'];

let documentType: Type | undefined;

function openAPIDocumentType(): Type {
  if (!documentType) {
    const root = new Root();
    parse(OPENAPI_V2_PROTO, root, { keepCase: true });
    root.resolveAll();
    documentType = root.lookupType('openapi.v2.Document');
  }
  return documentType;
}

const anyOf = (value: unknown) => ({ yaml: JSON.stringify(value) });

function vendorExtensions(obj: Json): Json[] {
  return Object.entries(obj)
    .filter(([key]) => key.startsWith('x-'))
    .map(([name, value]) => ({ name, value: anyOf(value) }));
}

const entries = <T>(obj: unknown, map: (value: T) => unknown) =>
  Object.entries((obj ?? {}) as Record<string, T>).map(([name, value]) => ({ name, value: map(value) }));

function schemaMessage(s: Json): Json {
  const additional = s.additionalProperties;
  return {
    _ref: s.$ref,
    format: s.format,
    title: s.title,
    description: s.description,
    default: s.default === undefined ? undefined : anyOf(s.default),
    multiple_of: s.multipleOf,
    maximum: s.maximum,
    exclusive_maximum: s.exclusiveMaximum,
    minimum: s.minimum,
    exclusive_minimum: s.exclusiveMinimum,
    max_length: s.maxLength,
    min_length: s.minLength,
    pattern: s.pattern,
    max_items: s.maxItems,
    min_items: s.minItems,
    unique_items: s.uniqueItems,
    max_properties: s.maxProperties,
    min_properties: s.minProperties,
    required: s.required,
    enum: (s.enum as unknown[] | undefined)?.map(anyOf),
    additional_properties:
      additional === undefined ? undefined : typeof additional === 'boolean' ? { boolean: additional } : { schema: schemaMessage(additional as Json) },
    type: s.type === undefined ? undefined : { value: [s.type] },
    items: s.items === undefined ? undefined : { schema: [schemaMessage(s.items as Json)] },
    all_of: (s.allOf as Json[] | undefined)?.map(schemaMessage),
    properties: s.properties === undefined ? undefined : { additional_properties: entries(s.properties, schemaMessage) },
    read_only: s.readOnly,
    example: s.example === undefined ? undefined : anyOf(s.example),
    vendor_extension: vendorExtensions(s),
  };
}

function parameterMessage(p: Json): Json {
  if (p.in === 'body') {
    return { parameter: { body_parameter: { description: p.description, name: p.name, in: p.in, required: p.required, schema: schemaMessage(p.schema as Json) } } };
  }
  const sub = {
    required: p.required,
    in: p.in,
    description: p.description,
    name: p.name,
    type: p.type,
    format: p.format,
    unique_items: p.uniqueItems,
    vendor_extension: vendorExtensions(p),
  };
  const oneof = p.in === 'path' ? { path_parameter_sub_schema: sub } : { query_parameter_sub_schema: sub };
  return { parameter: { non_body_parameter: oneof } };
}

function operationMessage(op: Json): Json {
  return {
    tags: op.tags,
    summary: op.summary,
    description: op.description,
    operation_id: op.operationId,
    produces: op.produces,
    consumes: op.consumes,
    parameters: (op.parameters as Json[] | undefined)?.map(parameterMessage),
    responses: {
      response_code: entries<Json>(op.responses, (r) => ({
        response: { description: r.description, schema: r.schema ? { schema: schemaMessage(r.schema as Json) } : undefined },
      })),
    },
    schemes: op.schemes,
    deprecated: op.deprecated,
    vendor_extension: vendorExtensions(op),
  };
}

function pathItemMessage(item: Json): Json {
  const out: Json = { parameters: (item.parameters as Json[] | undefined)?.map(parameterMessage), vendor_extension: vendorExtensions(item) };
  for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']) {
    if (item[method]) out[method] = operationMessage(item[method] as Json);
  }
  return out;
}

/** Encodes a Swagger 2.0 JSON document as `openapi.v2.Document`. */
export function encodeOpenAPIV2Protobuf(doc: Json): Uint8Array {
  const type = openAPIDocumentType();
  const info = (doc.info ?? {}) as Json;
  const message = type.fromObject({
    swagger: doc.swagger,
    info: { title: info.title, version: info.version, description: info.description },
    schemes: doc.schemes,
    consumes: doc.consumes,
    produces: doc.produces,
    paths: { path: entries(doc.paths, pathItemMessage) },
    definitions: { additional_properties: entries(doc.definitions, schemaMessage) },
    vendor_extension: vendorExtensions(doc),
  });
  return type.encode(message).finish();
}
