/**
 * Raw HTTPS requests to a test server with the admin client certificate of the
 * kubeconfig it wrote, for tests that check exact status codes, headers and bodies.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import YAML from 'yaml';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body as received, for binary responses. */
  bytes: Buffer;
}

export interface RawRequestOptions {
  body?: string;
  contentType?: string;
  accept?: string;
  /** Leave out the client certificate. */
  anonymous?: boolean;
  /** More request headers, e.g. If-None-Match. */
  headers?: Record<string, string>;
}

/** HTTPS requests with the admin client certificate of a written kubeconfig. */
export class RawClient {
  private readonly server: string;
  private readonly ca: Buffer;
  private readonly cert: Buffer;
  private readonly key: Buffer;

  constructor(kubeconfigPath: string) {
    const config = YAML.parse(readFileSync(kubeconfigPath, 'utf8'));
    const data = (field: string) => Buffer.from(field, 'base64');
    this.server = config.clusters[0].cluster.server;
    this.ca = data(config.clusters[0].cluster['certificate-authority-data']);
    this.cert = data(config.users[0].user['client-certificate-data']);
    this.key = data(config.users[0].user['client-key-data']);
  }

  request(method: string, path: string, opts: RawRequestOptions = {}): Promise<RawResponse> {
    const headers: Record<string, string | number> = { accept: opts.accept ?? 'application/json', ...opts.headers };
    if (opts.body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      // Node sends no body length for DELETE unless told, and the server would read the body as the next request.
      headers['content-length'] = Buffer.byteLength(opts.body);
    }
    const credentials = opts.anonymous ? {} : { cert: this.cert, key: this.key };
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, this.server), { method, headers, ca: this.ca, agent: false, ...credentials }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  }
}
