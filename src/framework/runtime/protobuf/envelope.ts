/**
 * The envelope of every Kubernetes protobuf body: the four bytes `k8s\0`, then a
 * runtime.Unknown message holding the TypeMeta and the object's own message bytes.
 */
import { newBadRequest, StatusError } from '../../api/status';
import { lookupMessage, MessageNames } from './schema';

const MAGIC = Buffer.from('k8s\0', 'latin1');

export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The encoded message of the object. */
  raw: Uint8Array;
}

/** Opens the envelope; a body that is not one is a 400 BadRequest. */
export function openEnvelope(body: Buffer): Envelope {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw undecodable('it does not start with the k8s\\0 prefix');
  }
  let unknown: {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
    contentEncoding?: string;
  };
  try {
    unknown = lookupMessage(MessageNames.Unknown).decode(body.subarray(MAGIC.length)) as typeof unknown;
  } catch (err) {
    throw undecodable((err as Error).message);
  }
  if (unknown.contentEncoding) throw undecodable(`content encoding ${JSON.stringify(unknown.contentEncoding)} is not supported`);
  const { apiVersion = '', kind = '' } = unknown.typeMeta ?? {};
  if (!kind) throw undecodable('it names no kind');
  return { apiVersion, kind, raw: unknown.raw ?? new Uint8Array() };
}

export function sealEnvelope(envelope: Envelope): Buffer {
  const unknown = { typeMeta: { apiVersion: envelope.apiVersion, kind: envelope.kind }, raw: envelope.raw };
  return Buffer.concat([MAGIC, lookupMessage(MessageNames.Unknown).encode(unknown).finish()]);
}

/** The 400 BadRequest for a body that cannot be decoded. */
export function undecodable(why: string): StatusError {
  return newBadRequest(`cannot decode the application/vnd.kubernetes.protobuf body: ${why}`);
}
