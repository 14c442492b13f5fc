/** Plain HTTPS requests for benchmark set-up and single timed requests. */
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Credentials } from './credentials';

export const agent = (c: Credentials, maxSockets = 64) => new https.Agent({ keepAlive: true, maxSockets, ca: c.ca, cert: c.cert, key: c.key });

export interface Response {
  status: number;
  body: Buffer;
  /** From sending the request to the first byte of the response. */
  firstByteMs: number;
}

export function request(c: Credentials, a: https.Agent, method: string, path: string, body?: string, contentType = 'application/json'): Promise<Response> {
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    const req = https.request(new URL(path, c.url), { method, agent: a, headers: { accept: 'application/json', ...(body ? { 'content-type': contentType } : {}) } }, (res) => {
      const firstByteMs = performance.now() - sent;
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), firstByteMs }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `count` calls with at most `concurrency` in flight. */
export async function inParallel(count: number, concurrency: number, call: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await call(next++);
    }),
  );
}
