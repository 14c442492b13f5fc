/** HTTPS load with autocannon: 64 keep-alive connections, bounded in time. */
import autocannon from 'autocannon';
import type { Credentials } from './credentials';

export interface LoadOptions {
  url: URL;
  credentials: Pick<Credentials, 'cert' | 'key'>;
  method: 'GET' | 'POST';
  path: string;
  /** For POST: the body of the n-th request. */
  body?: (n: number) => string;
  connections?: number;
  durationSeconds?: number;
}

/** Requests per second of 2xx responses; throws if any response was not 2xx. */
export async function requestsPerSecond(o: LoadOptions): Promise<number> {
  let n = 0;
  const result = await autocannon({
    url: `${o.url.origin}${o.path}`,
    connections: o.connections ?? 64,
    duration: o.durationSeconds ?? 5,
    tlsOptions: { cert: o.credentials.cert, key: o.credentials.key },
    requests: [
      {
        method: o.method,
        path: o.path,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        ...(o.body ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: o.body!(n++) }) } : {}),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${o.method} ${o.path}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  return result.requests.average;
}
