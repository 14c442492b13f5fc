import { StorageError } from '../errors';

/**
 * The continue token of a paged list, in kube-apiserver's format: base64url of
 * JSON `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key to resume at>"}`,
 * with `start` relative to the listed prefix so a token cannot reach outside it.
 */
export interface ContinueToken {
  /** The revision every page of the list is read at. */
  revision: number;
  /** The key, relative to the listed prefix, that the next page starts at. */
  start: string;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';

export function encodeContinueToken(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv: token.revision, start: token.start })).toString('base64url');
}

/** Throws StorageError 'InvalidArgument' for anything this module did not write. */
export function decodeContinueToken(encoded: string, key: string): ContinueToken {
  const invalid = (why: string) => new StorageError('InvalidArgument', key, `invalid continue token: ${why}`);
  let decoded: unknown;
  try {
    // Node's base64 decoder reads both the standard and the URL-safe alphabet.
    decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw invalid('not base64-encoded JSON');
  }
  const { v, rv, start } = (decoded ?? {}) as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== TOKEN_VERSION) throw invalid(`version ${JSON.stringify(v)} is not ${TOKEN_VERSION}`);
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0) throw invalid(`resource version ${JSON.stringify(rv)}`);
  if (typeof start !== 'string') throw invalid('no start key');
  return { revision: rv, start };
}
