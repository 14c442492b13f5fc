/**
 * Credentials for tests of authentication: certificates from throwaway CAs,
 * kubeconfigs that carry a token or a client certificate, and raw HTTPS requests
 * with any of them (or none) and any headers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import YAML from 'yaml';
import { createCertificate, LEAF_VALIDITY_DAYS, CA_VALIDITY_DAYS, type CertKeyPair } from '../../src/framework/server/pki/create-certificate';

export type { CertKeyPair };

export function newCA(commonName: string): Promise<CertKeyPair> {
  return createCertificate({ usage: 'ca', commonName, validDays: CA_VALIDITY_DAYS });
}

export function newClientCertificate(ca: CertKeyPair, user: string, groups: string[] = []): Promise<CertKeyPair> {
  return createCertificate({ usage: 'client', commonName: user, organizations: groups, validDays: LEAF_VALIDITY_DAYS }, ca);
}

interface KubeconfigCluster {
  server: string;
  caPem: string;
}

/** The server URL and CA of a kubeconfig the server wrote. */
export function clusterOf(kubeconfig: string): KubeconfigCluster {
  const config = YAML.parse(readFileSync(kubeconfig, 'utf8'));
  const cluster = config.clusters[0].cluster;
  return { server: cluster.server, caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8') };
}

/** Writes a kubeconfig for the same server with other credentials; returns its path. */
export function writeKubeconfigFor(cluster: KubeconfigCluster, file: string, user: { token?: string; cert?: CertKeyPair }): string {
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  const credentials: Record<string, string> = {};
  if (user.token) credentials.token = user.token;
  if (user.cert) {
    credentials['client-certificate-data'] = base64(user.cert.certPem);
    credentials['client-key-data'] = base64(user.cert.keyPem);
  }
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server: cluster.server, 'certificate-authority-data': base64(cluster.caPem) } }],
    users: [{ name: 'test', user: credentials }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
    'current-context': 'test',
  };
  writeFileSync(file, YAML.stringify(config), { mode: 0o600 });
  return file;
}

export interface TLSRequest {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  token?: string;
  cert?: CertKeyPair;
  /** Header name → value, or values for a header sent several times. */
  headers?: Record<string, string | string[]>;
}

export interface TLSResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): any;
}

/** One HTTPS request on a fresh connection (so that every request shows its own client certificate). */
export function tlsRequest(cluster: KubeconfigCluster, path: string, req: TLSRequest = {}): Promise<TLSResponse> {
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  const headers: Record<string, string | string[] | number> = { accept: 'application/json', ...req.headers };
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = payload.length;
  }
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  return new Promise((resolve, reject) => {
    const request = https.request(
      new URL(path, cluster.server),
      { method: req.method ?? (payload ? 'POST' : 'GET'), headers, ca: cluster.caPem, cert: req.cert?.certPem, key: req.cert?.keyPem, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Who the server thinks the caller is (a SelfSubjectReview), or the failed response. */
export async function whoAmI(cluster: KubeconfigCluster, req: Omit<TLSRequest, 'body' | 'method'> = {}): Promise<{ username: string; groups: string[]; uid?: string; extra?: Record<string, string[]> } | TLSResponse> {
  const res = await tlsRequest(cluster, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    ...req,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return res.status === 201 ? res.json().status.userInfo : res;
}
