/** Plain HTTPS requests for benchmark set-up and single timed requests. */
import https from 'node:https';
import type { Credentials } from './credentials';

export const agent = (c: Credentials, maxSockets = 64) => new https.Agent({ keepAlive: true, maxSockets, ca: c.ca, cert: c.cert, key: c.key });

export function request(c: Credentials, a: https.Agent, method: string, path: string, body?: string, contentType = 'application/json'): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, c.url), { method, agent: a, headers: { accept: 'application/json', ...(body ? { 'content-type': contentType } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
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
