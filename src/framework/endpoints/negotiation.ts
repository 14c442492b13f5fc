/**
 * Content negotiation: which encoding a response uses (JSON or YAML) and whether
 * the client asked for a transformed kind (Table, PartialObjectMetadata[List]).
 */
import { newNotAcceptable } from '../api/status';

export type Encoding = 'application/json' | 'application/yaml';
export type TransformKind = 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

export interface ResponseFormat {
  encoding: Encoding;
  /** Set when the client asked for `;as=<kind>;g=meta.k8s.io;v=v1` and the endpoint can do it. */
  transform?: TransformKind;
  /** The meta.k8s.io version of the transform (v1 or v1beta1). */
  transformVersion?: string;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

export const SUPPORTED_RESPONSE_TYPES: Encoding[] = ['application/json', 'application/yaml'];

/** Splits an Accept header into media ranges, best first (stable for equal q). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [{ type: '*/*', params: {}, q: 1 }];
  const ranges = header.split(',').map((clause, index) => {
    const [type, ...paramParts] = clause.split(';').map((p) => p.trim());
    const params: Record<string, string> = {};
    for (const part of paramParts) {
      const eq = part.indexOf('=');
      if (eq > 0) params[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"|"$/g, '');
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    delete params.q;
    return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0, index };
  });
  return ranges
    .filter((r) => r.q > 0 && r.type !== '')
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map(({ type, params, q }) => ({ type, params, q }));
}

function encodingFor(type: string): Encoding | undefined {
  if (type === 'application/json' || type === '*/*' || type === 'application/*' || type === 'application/json-seq') return 'application/json';
  if (type === 'application/yaml') return 'application/yaml';
  return undefined;
}

/**
 * Picks the response format. `transforms` lists the kinds this endpoint can
 * transform into; a clause asking for another transform is skipped, as kube does.
 * Throws 406 when nothing acceptable remains.
 */
export function negotiateResponse(accept: string | undefined, transforms: readonly TransformKind[] = []): ResponseFormat {
  for (const range of parseAccept(accept)) {
    const encoding = encodingFor(range.type);
    if (!encoding) continue;
    const as = range.params.as;
    if (as === undefined) return { encoding };
    const group = range.params.g;
    const version = range.params.v;
    if (group === 'meta.k8s.io' && (version === 'v1' || version === 'v1beta1') && (transforms as readonly string[]).includes(as)) {
      return { encoding, transform: as as TransformKind, transformVersion: version };
    }
  }
  throw newNotAcceptable(`only the following media types are accepted: ${SUPPORTED_RESPONSE_TYPES.join(', ')}`);
}

/** The media type of a request body without parameters (`;charset=utf-8` and the like). */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}
