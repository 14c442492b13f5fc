/**
 * HTTPS requests to a server under test with the admin certificate of its
 * kubeconfig, over a keep-alive pool, each with a client-side deadline so that
 * a hang shows up as a failure instead of a stuck test. Transport failures
 * (connection refused or reset) are answers too: status 0 with the error.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import YAML from 'yaml';

export interface ChaosResponse {
  /** HTTP status; 0 when the connection failed or the deadline passed. */
  status: number;
  body: string;
  /** What went wrong below HTTP, when status is 0. */
  error?: string;
  elapsedMs: number;
}

export interface ChaosRequestOptions {
  body?: string;
  contentType?: string;
  /** Client-side deadline (default 30 s). */
  deadlineMs?: number;
}

export interface WatchStream {
  /** Every event received, in order. */
  readonly events: Array<{ type: string; object: { metadata?: { name?: string; resourceVersion?: string }; [key: string]: unknown } }>;
  /** When each event arrived (Date.now()), by the index in events. */
  readonly arrivals: number[];
  /** Resolves when the stream ends: 'end' (the server closed it cleanly) or the transport error. */
  readonly ended: Promise<string>;
  /** The HTTP status of the watch response. */
  readonly status: Promise<number>;
  close(): void;
}

export class ChaosClient {
  readonly server: string;
  private readonly tls: { ca: Buffer; cert: Buffer; key: Buffer };
  readonly agent: https.Agent;

  constructor(kubeconfigPath: string, maxSockets = 64) {
    const config = YAML.parse(readFileSync(kubeconfigPath, 'utf8'));
    const data = (field: string) => Buffer.from(field, 'base64');
    this.server = config.clusters[0].cluster.server;
    this.tls = {
      ca: data(config.clusters[0].cluster['certificate-authority-data']),
      cert: data(config.users[0].user['client-certificate-data']),
      key: data(config.users[0].user['client-key-data']),
    };
    this.agent = new https.Agent({ keepAlive: true, maxSockets, ...this.tls });
  }

  /** The TLS material, for raw connections a test drives itself. */
  get credentials(): { ca: Buffer; cert: Buffer; key: Buffer } {
    return this.tls;
  }

  request(method: string, path: string, opts: ChaosRequestOptions = {}): Promise<ChaosResponse> {
    const started = Date.now();
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (opts.body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(opts.body);
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (r: Omit<ChaosResponse, 'elapsedMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve({ ...r, elapsedMs: Date.now() - started });
      };
      const req = https.request(new URL(path, this.server), { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => settle({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => settle({ status: 0, body: '', error: err.message }));
      });
      const deadline = setTimeout(() => {
        req.destroy();
        settle({ status: 0, body: '', error: `no answer within ${opts.deadlineMs ?? 30_000} ms` });
      }, opts.deadlineMs ?? 30_000);
      req.on('error', (err) => settle({ status: 0, body: '', error: err.message }));
      req.end(opts.body);
    });
  }

  /** Opens a watch (path without the watch parameter) on its own connection. */
  watch(path: string): WatchStream {
    const events: WatchStream['events'] = [];
    const arrivals: number[] = [];
    let req!: ReturnType<typeof https.request>;
    let resolveStatus!: (status: number) => void;
    const status = new Promise<number>((resolve) => (resolveStatus = resolve));
    const ended = new Promise<string>((resolve) => {
      const url = new URL(path, this.server);
      url.searchParams.set('watch', 'true');
      req = https.request(url, { method: 'GET', headers: { accept: 'application/json' }, agent: false, ...this.tls }, (res) => {
        resolveStatus(res.statusCode ?? 0);
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          pending += chunk;
          let newline: number;
          while ((newline = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            if (!line.trim()) continue;
            events.push(JSON.parse(line));
            arrivals.push(Date.now());
          }
        });
        res.on('end', () => resolve('end'));
        res.on('error', (err) => resolve(err.message));
        res.on('aborted', () => resolve('aborted'));
      });
      req.on('error', (err) => {
        resolveStatus(0);
        resolve(err.message);
      });
      req.end();
    });
    return { events, arrivals, ended, status, close: () => req.destroy() };
  }

  /** A raw TLS connection with the admin certificate (resuming `session` if given), once the handshake is done. */
  connectTLS(session?: Buffer): Promise<tls.TLSSocket> {
    const { hostname, port } = new URL(this.server);
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: hostname, port: Number(port), ...this.tls, servername: 'localhost', session });
      socket.once('secureConnect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
