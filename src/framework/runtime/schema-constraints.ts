/** The value constraints a field declares and its OpenAPI schema carries, in OpenAPI v3.0 form. */
export interface SchemaConstraints {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  format?: string;
  minimum?: number;
  maximum?: number;
  /** Makes minimum exclusive. */
  exclusiveMinimum?: boolean;
  /** Makes maximum exclusive. */
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
}
