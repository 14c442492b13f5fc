import { UnsupportedProtobufKindError } from './errors';
import { openEnvelope, sealEnvelope, undecodable } from './envelope';
import { jsonToMessage, messageToJson } from './json-mapping';
import { messageForKind } from './kinds';
import { lookupMessage } from './schema';

/** The media type of Kubernetes protobuf bodies. */
export const KUBE_PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export interface KubeProtobufObject {
  apiVersion: string;
  kind: string;
  /** The object as the JSON API carries it, apiVersion and kind included. */
  object: Record<string, unknown>;
}

/**
 * Reads a protobuf request body (as kubectl 1.32 and later send built-in kinds)
 * into the plain JSON object the same request would carry as JSON.
 * Throws UnsupportedProtobufKindError (415) for a kind it has no schema for,
 * and a 400 BadRequest StatusError for a body that is not valid protobuf.
 */
export function decodeKubeProtobuf(body: Buffer): KubeProtobufObject {
  const { apiVersion, kind, raw } = openEnvelope(body);
  const messageName = messageForKind(apiVersion, kind);
  if (!messageName) throw new UnsupportedProtobufKindError(apiVersion, kind);
  const type = lookupMessage(messageName);
  let fields: Record<string, unknown>;
  try {
    fields = messageToJson(type, type.decode(raw));
  } catch (err) {
    throw undecodable(`${kind}: ${(err as Error).message}`);
  }
  return { apiVersion, kind, object: { apiVersion, kind, ...fields } };
}

/**
 * Writes a JSON-form object of a kind the codec knows as a protobuf body, envelope
 * included. Throws for an unknown kind and for fields or values the schema lacks.
 */
export function encodeKubeProtobuf(obj: Record<string, unknown>): Buffer {
  const { apiVersion, kind, ...fields } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new Error('the object needs a string apiVersion and kind');
  const messageName = messageForKind(apiVersion, kind);
  if (!messageName) throw new UnsupportedProtobufKindError(apiVersion, kind);
  const type = lookupMessage(messageName);
  const message = jsonToMessage(type, fields, kind);
  const problem = type.verify(message);
  if (problem) throw new Error(`${kind}: ${problem}`);
  return sealEnvelope({ apiVersion, kind, raw: type.encode(message).finish() });
}
