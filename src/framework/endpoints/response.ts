/**
 * Writing API responses: the negotiated encoding, Table and PartialObjectMetadata
 * transforms, warnings. Every resource response goes through here.
 */
import type { Context } from 'koa';
import YAML from 'yaml';
import { newBadRequest, newNotAcceptable } from '../api/status';
import type { Encoding, ResponseFormat } from './negotiation';
import { partialObjectMetadata, type IncludeObject, type TableConvertor } from './table';

export function encodeBody(body: unknown, encoding: Encoding): string {
  return encoding === 'application/yaml' ? YAML.stringify(body) : JSON.stringify(body);
}

/** Sends client warnings as `Warning: 299 - "<text>"` headers, as kube-apiserver does. */
export function setWarnings(ctx: Context, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const unique = [...new Set(warnings)];
  ctx.set('Warning', unique.map((w) => `299 - ${JSON.stringify(w)}`));
}

export function writeBody(ctx: Context, status: number, body: unknown, encoding: Encoding = 'application/json'): void {
  ctx.status = status;
  ctx.type = encoding;
  ctx.body = encodeBody(body, encoding);
}

export function parseIncludeObject(query: URLSearchParams): IncludeObject {
  const raw = query.get('includeObject');
  if (raw === null || raw === '') return 'Metadata';
  if (raw === 'None' || raw === 'Metadata' || raw === 'Object') return raw;
  throw newBadRequest(`unrecognized includeObject value: ${JSON.stringify(raw)}`);
}

const META_API = (version = 'v1') => `meta.k8s.io/${version}`;

/** One object in the requested version, transformed as the client asked. */
export function renderObject(obj: Record<string, unknown>, format: ResponseFormat, table: TableConvertor, query: URLSearchParams): unknown {
  switch (format.transform) {
    case 'Table':
      return table.convert([obj], { apiVersion: META_API(format.transformVersion), includeObject: parseIncludeObject(query) });
    case 'PartialObjectMetadata':
      return partialObjectMetadata(obj, META_API(format.transformVersion));
    case 'PartialObjectMetadataList':
      throw newNotAcceptable('you requested PartialObjectMetadataList, but the requested object is not a list');
    default:
      return obj;
  }
}

export interface ListMetaOut {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A list in the requested version, transformed as the client asked. */
export function renderList(
  items: Record<string, unknown>[],
  listMeta: ListMetaOut,
  listKind: { apiVersion: string; kind: string },
  format: ResponseFormat,
  table: TableConvertor,
  query: URLSearchParams,
): unknown {
  switch (format.transform) {
    case 'Table':
      return table.convert(items, { apiVersion: META_API(format.transformVersion), includeObject: parseIncludeObject(query), listMeta });
    case 'PartialObjectMetadataList':
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: META_API(format.transformVersion),
        metadata: listMeta,
        items: items.map((i) => partialObjectMetadata(i, META_API(format.transformVersion))),
      };
    case 'PartialObjectMetadata':
      throw newNotAcceptable('you requested PartialObjectMetadata, but the requested object is a list');
    default:
      return { apiVersion: listKind.apiVersion, kind: listKind.kind, metadata: listMeta, items };
  }
}
