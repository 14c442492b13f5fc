/**
 * Reads a request body into one Buffer, refusing anything over the limit with
 * 413 before buffering it (kube-apiserver's default limit is 3 MiB).
 */
import type { IncomingMessage } from 'node:http';
import { newBadRequest, newRequestEntityTooLarge } from '../api/status';

export const DEFAULT_MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

function tooLarge(limit: number) {
  return newRequestEntityTooLarge(`Request entity too large: limit is ${limit}`);
}

const bodyObservers = new WeakMap<IncomingMessage, (body: Buffer) => void>();

/** Lets a filter see a request's body once a handler has read it (the audit log records it). */
export function observeRequestBody(req: IncomingMessage, observer: (body: Buffer) => void): void {
  bodyObservers.set(req, observer);
}

export function readBody(req: IncomingMessage, limit = DEFAULT_MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      bodyObservers.get(req)?.(body);
      resolve(body);
    };
    // The connection broke mid-body (the client went away, or shutdown cut it off): the request's fault, not the server's.
    const onError = (err: Error) => {
      cleanup();
      reject(newBadRequest(`reading the request body failed: ${err.message}`));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
