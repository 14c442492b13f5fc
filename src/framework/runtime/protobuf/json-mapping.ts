/**
 * Between decoded protobuf messages and the plain JSON objects the JSON API
 * carries, driven by the schema's reflection: int64 as numbers, bytes as base64,
 * meta/v1 Time as an RFC 3339 string, FieldsV1 as the JSON object it holds, and
 * zero values of non-pointer fields left out as Go's omitempty leaves them out.
 */
import { Field, Message, Type } from 'protobufjs';
import { isGoPointer, MessageNames } from './schema';

type JsonObject = Record<string, unknown>;

const INTEGER_64_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** The JSON form of a decoded message; fields absent on the wire, or zero and not pointers, are left out. */
export function messageToJson(type: Type, message: Message): JsonObject {
  const json: JsonObject = {};
  const values = message as unknown as JsonObject;
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(values, field.name)) continue;
    const value = fieldToJson(field, values[field.name]);
    if (value === undefined || (!isGoPointer(field) && isZeroValue(value))) continue;
    json[field.name] = value;
  }
  return json;
}

function fieldToJson(field: Field, value: unknown): unknown {
  if (field.map) {
    return Object.fromEntries(Object.entries(value as JsonObject).map(([key, item]) => [key, singleToJson(field, item)]));
  }
  if (field.repeated) return (value as unknown[]).map((item) => singleToJson(field, item));
  return singleToJson(field, value);
}

function singleToJson(field: Field, value: unknown): unknown {
  const messageType = field.resolvedType;
  if (messageType instanceof Type) {
    switch (messageType.fullName.slice(1)) {
      case MessageNames.Time:
        return timeToJson(value as Message);
      case MessageNames.FieldsV1:
        return fieldsV1ToJson(value as { Raw?: Uint8Array });
      default:
        return messageToJson(messageType, value as Message);
    }
  }
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  if (INTEGER_64_TYPES.has(field.type)) return toNumber(value);
  return value;
}

/** protobufjs gives 64-bit integers as Long objects (when the long package is present) or numbers. */
function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : (value as { toNumber(): number }).toNumber();
}

/**
 * meta/v1 Time: an empty message is Go's zero time, which JSON writes as null and
 * this codec leaves out; otherwise UTC to the second, as metav1.Time marshals it.
 */
function timeToJson(time: Message): string | undefined {
  const values = time as unknown as JsonObject;
  const hasSeconds = Object.prototype.hasOwnProperty.call(values, 'seconds');
  if (!hasSeconds && !Object.prototype.hasOwnProperty.call(values, 'nanos')) return undefined;
  const seconds = hasSeconds ? toNumber(values.seconds) : 0;
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function fieldsV1ToJson(fields: { Raw?: Uint8Array }): unknown {
  return fields.Raw && fields.Raw.length > 0 ? JSON.parse(Buffer.from(fields.Raw).toString('utf8')) : {};
}

function isZeroValue(value: unknown): boolean {
  if (value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/**
 * The inverse: a plain object protobufjs can encode for `type`. Null and
 * undefined values are left out; a field the schema does not have is an error,
 * so that nothing is dropped silently. `path` names the object in messages.
 */
export function jsonToMessage(type: Type, json: JsonObject, path: string): JsonObject {
  const message: JsonObject = {};
  for (const [name, value] of Object.entries(json)) {
    if (value === null || value === undefined) continue;
    const field = type.fields[name];
    if (!field) throw new Error(`${path}.${name}: not a field of ${type.name}`);
    message[name] = fieldFromJson(field, value, `${path}.${name}`);
  }
  return message;
}

function fieldFromJson(field: Field, value: unknown, path: string): unknown {
  if (field.map) {
    return Object.fromEntries(
      Object.entries(expectObject(value, path)).map(([key, item]) => [key, singleFromJson(field, item, `${path}[${key}]`)]),
    );
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new Error(`${path}: expected an array`);
    return value.map((item, i) => singleFromJson(field, item, `${path}[${i}]`));
  }
  return singleFromJson(field, value, path);
}

function singleFromJson(field: Field, value: unknown, path: string): unknown {
  const messageType = field.resolvedType;
  if (messageType instanceof Type) {
    switch (messageType.fullName.slice(1)) {
      case MessageNames.Time:
        return timeFromJson(value, path);
      case MessageNames.FieldsV1:
        return { Raw: Buffer.from(JSON.stringify(value)) };
      default:
        return jsonToMessage(messageType, expectObject(value, path), path);
    }
  }
  if (field.type === 'bytes') {
    if (typeof value !== 'string') throw new Error(`${path}: expected a base64 string`);
    return Buffer.from(value, 'base64');
  }
  return value;
}

function timeFromJson(value: unknown, path: string): { seconds: number } {
  const millis = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(millis)) throw new Error(`${path}: expected an RFC 3339 time, got ${JSON.stringify(value)}`);
  return { seconds: Math.floor(millis / 1000) };
}

function expectObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}: expected an object`);
  return value as JsonObject;
}
