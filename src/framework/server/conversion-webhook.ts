/**
 * A conversion webhook for CustomResourceDefinitions whose conversion strategy
 * is Webhook: kube-apiserver POSTs a ConversionReview to it over HTTPS and gets
 * the objects back in the version it asked for, converted by a Scheme — the
 * same conversion and defaulting functions a server built with this framework
 * uses. It answers at one path; anything else is 404, 405 or 415.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { isStatusError, newBadRequest, newUnsupportedMediaType, StatusError } from '../api/status';
import { readBody } from '../endpoints/body';
import { parseConversionReview, reviewConversion } from '../endpoints/conversion-review';
import { mediaTypeOf } from '../endpoints/negotiation';
import type { Scheme } from '../runtime';
import { readRequestsThroughStream } from './parse-through-stream';

/** A list conversion carries every object of a page, so the limit is well above kube-apiserver's own 3 MiB. */
const DEFAULT_MAX_BODY_BYTES = 30 * 1024 * 1024;

export interface ConversionWebhookOptions {
  scheme: Scheme;
  /** The path in the CRD's clientConfig (service.path or the URL's); default `/convert`. */
  path?: string;
  maxRequestBodyBytes?: number;
  /** Told about each review that fails and each request refused. */
  logger?: Logger;
}

export interface ConversionWebhookServerOptions extends ConversionWebhookOptions {
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  /** The serving certificate; the CRD's caBundle must verify it. */
  certPem: string | Buffer;
  keyPem: string | Buffer;
  /** When given, only clients with a certificate this CA signed get an answer (kube-apiserver's webhook client certificate). */
  clientCAPem?: string | Buffer;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

function notFound(path: string): StatusError {
  return new StatusError({ code: 404, reason: 'NotFound', message: `no conversion webhook at ${path}`, details: {} });
}

/** Answers ConversionReviews at the path; a request listener for any Node HTTP(S) server. */
export function conversionWebhookHandler(options: ConversionWebhookOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const path = options.path ?? '/convert';
  const handle = async (req: IncomingMessage): Promise<unknown> => {
    const url = new URL(req.url ?? '/', 'https://webhook');
    if (url.pathname !== path) throw notFound(url.pathname);
    if (req.method !== 'POST') {
      throw new StatusError({ code: 405, reason: 'MethodNotAllowed', message: `${req.method ?? ''} is not supported; POST a ConversionReview` });
    }
    if (mediaTypeOf(req.headers['content-type'] ?? '') !== 'application/json') throw newUnsupportedMediaType(['application/json']);
    const raw = await readBody(req, options.maxRequestBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw newBadRequest(`the body is not JSON: ${(err as Error).message}`);
    }
    const { apiVersion, request } = parseConversionReview(body);
    const review = reviewConversion(options.scheme, apiVersion, request);
    if (review.response?.result.status !== 'Success') {
      options.logger?.warn({ uid: request.uid, desiredAPIVersion: request.desiredAPIVersion, message: review.response?.result.message }, 'conversion failed');
    }
    return review;
  };
  return (req, res) => {
    handle(req).then(
      (review) => send(res, 200, review),
      (err: unknown) => {
        const status = isStatusError(err) ? err.status : new StatusError({ code: 500, reason: 'InternalError', message: 'the conversion webhook failed' }).status;
        if (!isStatusError(err)) options.logger?.error({ err }, 'conversion webhook failed');
        send(res, status.code, status, status.code === 405 ? { Allow: 'POST' } : {});
      },
    );
  };
}

/** The webhook on its own HTTPS port. */
export class ConversionWebhookServer {
  private server?: https.Server;

  constructor(private readonly options: ConversionWebhookServerOptions) {}

  /** Starts serving; resolves with the bound address. */
  async start(): Promise<AddressInfo> {
    const { certPem, keyPem, clientCAPem, port, bindAddress } = this.options;
    const server = https.createServer(
      { cert: certPem, key: keyPem, ca: clientCAPem, requestCert: Boolean(clientCAPem), rejectUnauthorized: Boolean(clientCAPem) },
      conversionWebhookHandler(this.options),
    );
    server.on('secureConnection', readRequestsThroughStream);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, bindAddress, () => resolve());
    });
    return server.address() as AddressInfo;
  }

  /** Stops accepting connections and closes the idle ones; resolves when the last request is answered. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
  }
}
