/**
 * A backend: where the aggregator sends one group/version, and how it talks TLS to
 * it — the front-proxy client certificate, verifying the serving certificate with
 * the APIService's caBundle against the service's DNS name, as kube-aggregator does.
 */
import https from 'node:https';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { CertKeyPair } from '../server/pki';
import type { APIService } from './apiservice-types';
import type { ServiceResolver } from './service-resolver';

export interface Backend {
  /** `<group>/<version>` */
  groupVersion: string;
  /** Where the service answers, e.g. `https://127.0.0.1:8443`. */
  baseURL: URL;
  /** Keeps connections to the backend and carries the TLS settings. */
  agent: https.Agent;
}

/** The backend of an APIService that names a service, or a reason why there is none. */
export function backendFor(
  apiService: APIService,
  resolver: ServiceResolver,
  clientCertificate: CertKeyPair,
): { backend: Backend } | { reason: 'ServiceNotFound'; message: string } {
  const spec = apiService.spec!;
  const service = spec.service!;
  const ref = { namespace: service.namespace ?? '', name: service.name ?? '', port: service.port ?? 443 };
  const baseURL = resolver.resolve(ref);
  if (!baseURL) return { reason: 'ServiceNotFound', message: `service/${ref.name} in "${ref.namespace}" is not present` };
  const agent = new https.Agent({
    keepAlive: true,
    cert: clientCertificate.certPem,
    key: clientCertificate.keyPem,
    ca: spec.caBundle ? Buffer.from(spec.caBundle, 'base64').toString('utf8') : undefined,
    rejectUnauthorized: !spec.insecureSkipTLSVerify,
    servername: `${ref.name}.${ref.namespace}.svc`,
  });
  return { backend: { groupVersion: `${spec.group}/${spec.version}`, baseURL, agent } };
}

export interface BackendResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface BackendRequest {
  /** Default GET. */
  method?: string;
  headers: OutgoingHttpHeaders;
  body?: Buffer;
  /** The request fails when no answer has come within this long. */
  timeoutMs: number;
}

/** One request to `path` on the backend, its whole answer read. */
export function requestBackend(backend: Backend, path: string, request: BackendRequest): Promise<BackendResponse> {
  const url = new URL(path, backend.baseURL);
  const { timeoutMs } = request;
  return new Promise((resolve, reject) => {
    // Node sends a DELETE's body without framing unless told its length.
    const headers = request.body ? { ...request.headers, 'content-length': request.body.length } : request.headers;
    const req = https.request(url, { method: request.method ?? 'GET', agent: backend.agent, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs / 1000}s`)));
    req.on('error', reject);
    req.end(request.body);
  });
}
