/**
 * HTTPS transport to an API server: JSON requests whose failures become the
 * server's own Status (as a StatusError), and newline-delimited JSON streams for
 * watches. Connections are kept alive and shared; close() releases them.
 */
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { StatusError, type Status, type StatusReason } from '../api/status';
import { DEFAULT_USER_AGENT, type ClientConfig } from './client-config';

export interface RESTRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** Default `application/json`; patches name their patch type here. */
  contentType?: string;
  signal?: AbortSignal;
}

const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

/** The StatusError a failed response stands for: its Status body, or one made from the HTTP code. */
function statusErrorOf(code: number, body: string): StatusError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) {
    const { kind: _kind, apiVersion: _apiVersion, status: _status, ...rest } = parsed;
    return new StatusError({ ...rest, code: parsed.code || code });
  }
  return new StatusError({ code, reason: REASON_BY_CODE[code] ?? '', message: body.trim() || `the server responded with HTTP ${code}` });
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

export class RESTClient {
  private readonly base: URL;
  private readonly agent: https.Agent;

  constructor(private readonly config: ClientConfig) {
    this.base = new URL(config.server);
    this.agent = new https.Agent({
      keepAlive: true,
      ca: config.caPem,
      cert: config.clientCertPem,
      key: config.clientKeyPem,
      rejectUnauthorized: !config.insecureSkipTLSVerify,
    });
  }

  /** One request; resolves with the parsed JSON body, rejects with a StatusError when the server says no. */
  async request<R = unknown>(path: string, opts: RESTRequestOptions = {}): Promise<R> {
    const res = await this.send(path, opts);
    const text = await readAll(res);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) throw statusErrorOf(code, text);
    return (text ? JSON.parse(text) : undefined) as R;
  }

  /**
   * A GET whose body is one JSON value per line (a watch). Yields each value as it
   * arrives; ends when the server ends the stream or the signal aborts.
   */
  async *stream(path: string, opts: Omit<RESTRequestOptions, 'method' | 'body' | 'contentType'> = {}): AsyncGenerator<unknown> {
    const res = await this.send(path, { ...opts, method: 'GET' });
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) throw statusErrorOf(code, await readAll(res));
    let pending = '';
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        pending += chunk.toString('utf8');
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line) yield JSON.parse(line);
        }
      }
    } catch (err) {
      // An abort (or the server going away) ends the stream; the caller decides what comes next.
      if (opts.signal?.aborted || (err as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      throw err;
    } finally {
      res.destroy();
    }
  }

  /** Releases the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async send(path: string, opts: RESTRequestOptions): Promise<IncomingMessage> {
    const url = new URL(path, this.base);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.config.userAgent ?? DEFAULT_USER_AGENT };
    if (payload) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const token = this.config.tokenFile ? (await readFile(this.config.tokenFile, 'utf8')).trim() : this.config.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method: opts.method ?? 'GET', headers, agent: this.agent, signal: opts.signal }, resolve);
      req.on('error', reject);
      req.end(payload);
    });
  }
}
