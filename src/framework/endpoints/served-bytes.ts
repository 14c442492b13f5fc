/**
 * JSON bytes of stored objects in a served version, encoded once per object and
 * version: objects and events from the watch cache are frozen and shared, so a
 * GET, a list item and a watch event of the same object reuse the same Buffer
 * for every client of that version.
 */
import { encodeOnce } from '../storage/cacher';
import type { StoredObject, WatchEvent } from '../storage/interface';
import { toServedVersion, type RequestScope } from './scope';

const COMMA = 0x2c;

export function servedObjectJSON(scope: RequestScope, stored: StoredObject): Buffer {
  return encodeOnce(stored, `${scope.apiVersion};json`, () => Buffer.from(JSON.stringify(toServedVersion(scope, stored))));
}

/** A list body whose items are the objects' cached bytes, copied once into one Buffer. */
export function servedListJSON(scope: RequestScope, kind: string, listMeta: object, items: StoredObject[]): Buffer {
  const head = Buffer.from(`{"apiVersion":${JSON.stringify(scope.apiVersion)},"kind":${JSON.stringify(kind)},"metadata":${JSON.stringify(listMeta)},"items":[`);
  const encoded = items.map((item) => servedObjectJSON(scope, item));
  let length = head.length + Math.max(0, encoded.length - 1) + 2;
  for (const bytes of encoded) length += bytes.length;
  const body = Buffer.allocUnsafe(length);
  let at = head.copy(body, 0);
  encoded.forEach((bytes, i) => {
    if (i > 0) body[at++] = COMMA;
    at += bytes.copy(body, at);
  });
  body.write(']}', at, 'latin1');
  return body;
}

/** One watch line (`{"type":…,"object":…}\n`) of an ADDED, MODIFIED or DELETED event. */
export function servedEventLine(scope: RequestScope, event: WatchEvent): Buffer {
  return encodeOnce(event, `${scope.apiVersion};watch-json`, () =>
    Buffer.concat([Buffer.from(`{"type":"${event.type}","object":`), servedObjectJSON(scope, event.object), Buffer.from('}\n')]),
  );
}
