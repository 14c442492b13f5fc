/**
 * The OpenAPI routes: /openapi/v3 (the index), /openapi/v3/<gv path> (one
 * document per group version, content-addressed by `hash`) and /openapi/v2 (JSON,
 * or gnostic protobuf when asked for it). Documents are built on first request
 * and kept until the installed set changes; every answer carries an ETag and a
 * matching If-None-Match gets a 304.
 */
import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { InstalledResource } from '../endpoints/installer';
import { parseAccept } from '../endpoints/negotiation';
import type { Scheme } from '../runtime';
import { matchesETag } from './etag';
import { openAPIV2Document } from './openapi-v2';
import { encodeOpenAPIV2Protobuf, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_ACCEPTED } from './openapi-v2-protobuf';
import { openAPIV3Document, type Json } from './openapi-v3';

/** What one group version contributes: its resources and the scheme that describes them. */
export interface OpenAPIGroupVersion {
  resources: InstalledResource[];
  scheme: Scheme;
}

/** A document's bytes and their hash, its ETag. */
export interface RenderedOpenAPI {
  bytes: Buffer;
  /** Upper-case hex SHA-512 of the bytes, as kube-openapi computes it. */
  hash: string;
}

export function renderedOpenAPI(bytes: Buffer): RenderedOpenAPI {
  return { bytes, hash: createHash('sha512').update(bytes).digest('hex').toUpperCase() };
}

/** JSON or protobuf for /openapi/v2 by Accept; undefined when neither is acceptable (406). */
export function negotiateOpenAPIV2(accept: string | undefined): 'json' | 'protobuf' | undefined {
  for (const range of parseAccept(accept)) {
    if (OPENAPI_V2_PROTOBUF_ACCEPTED.includes(range.type)) return 'protobuf';
    if (range.type === 'application/json' || range.type === 'application/*' || range.type === '*/*') return 'json';
  }
  return undefined;
}

export class OpenAPIRoutes {
  private readonly v3 = new Map<string, RenderedOpenAPI>();
  private v2?: { json: RenderedOpenAPI; protobuf: RenderedOpenAPI };

  /** @param groupVersions by index key: `api/v1`, `apis/<group>/<version>`. */
  constructor(
    private readonly groupVersions: () => Map<string, OpenAPIGroupVersion>,
    private readonly serverVersion: string,
  ) {}

  /** Forgets built documents; call when the installed set changes. */
  invalidate(): void {
    this.v3.clear();
    this.v2 = undefined;
  }

  install(router: Router): void {
    router.get('/openapi/v3', (ctx) => {
      const paths: Json = {};
      for (const key of this.groupVersions().keys()) {
        const doc = this.v3Document(key);
        if (doc) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
      }
      sendOpenAPI(ctx, renderedOpenAPI(Buffer.from(JSON.stringify({ paths }))), 'application/json');
    });
    router.get(/^\/openapi\/v3\/(apis?\/.+)$/, (ctx) => {
      const key = ctx.path.slice('/openapi/v3/'.length);
      const doc = this.v3Document(key);
      if (!doc) {
        ctx.status = 404;
        ctx.body = '404 page not found\n';
        return;
      }
      const hash = new URLSearchParams(ctx.querystring).get('hash');
      if (hash && hash !== doc.hash) {
        ctx.status = 301;
        ctx.redirect(`/openapi/v3/${key}?hash=${doc.hash}`);
        return;
      }
      // A URL with the current hash names these bytes forever.
      if (hash) ctx.set('Cache-Control', 'public, immutable');
      sendOpenAPI(ctx, doc, 'application/json');
    });
    router.get('/openapi/v2', (ctx) => {
      const format = negotiateOpenAPIV2(ctx.get('accept'));
      if (!format) {
        ctx.status = 406;
        ctx.body = '';
        return;
      }
      const docs = this.v2Documents();
      if (format === 'protobuf') sendOpenAPI(ctx, docs.protobuf, OPENAPI_V2_PROTOBUF);
      else sendOpenAPI(ctx, docs.json, 'application/json');
    });
  }

  private v3Document(key: string): RenderedOpenAPI | undefined {
    const cached = this.v3.get(key);
    if (cached) return cached;
    const gv = this.groupVersions().get(key);
    if (!gv) return undefined;
    const doc = renderedOpenAPI(Buffer.from(JSON.stringify(this.v3Json(key, gv))));
    this.v3.set(key, doc);
    return doc;
  }

  private v3Json(key: string, gv: OpenAPIGroupVersion): Json {
    return openAPIV3Document(key.replace(/^apis?\//, ''), gv.resources, gv.scheme);
  }

  private v2Documents(): { json: RenderedOpenAPI; protobuf: RenderedOpenAPI } {
    if (!this.v2) {
      const v3 = [...this.groupVersions()].map(([key, gv]) => this.v3Json(key, gv));
      const doc = openAPIV2Document(v3, this.serverVersion);
      this.v2 = { json: renderedOpenAPI(Buffer.from(JSON.stringify(doc))), protobuf: renderedOpenAPI(Buffer.from(encodeOpenAPIV2Protobuf(doc))) };
    }
    return this.v2;
  }
}

/** Answers with the document and its ETag, or 304 when the client has it already. */
export function sendOpenAPI(ctx: Koa.Context, doc: RenderedOpenAPI, contentType: string): void {
  const etag = `"${doc.hash}"`;
  ctx.set('ETag', etag);
  ctx.set('Vary', 'Accept');
  ctx.set('Content-Type', contentType);
  if (matchesETag(ctx.get('if-none-match'), etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.body = doc.bytes;
}
