/**
 * GenericAPIServer: koa behind HTTPS, the handler chain, and the routes of every
 * installed group — discovery, OpenAPI, health, metrics and the resources.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import compose from 'koa-compose';
import Router from '@koa/router';
import pino, { type Logger } from 'pino';
import { StatusError } from '../api/status';
import type { Authenticator } from '../auth/authenticator';
import { staticCABundle } from '../auth/client-certificate';
import { X509Authenticator } from '../auth/x509';
import { alwaysAllow, privilegedGroups, UnionAuthorizer, type Authorizer } from '../auth/authorizer';
import { DEFAULT_MAX_REQUEST_BODY_BYTES } from '../endpoints/body';
import { installResource, type InstalledResource } from '../endpoints/installer';
import { negotiateResponse } from '../endpoints/negotiation';
import { writeBody } from '../endpoints/response';
import type { ApiState } from '../endpoints/scope';
import type { Scheme } from '../runtime';
import type { APIGroupInfo } from './api-group-info';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, type InstalledGroup } from './discovery';
import { buildHandlerChain } from './handler-chain';
import { healthHandler, type HealthCheck } from './healthz';
import { ServerMetrics } from './metrics';
import { OpenAPIV3Service } from './openapi-v3';
import { defaultVersionInfo, type VersionInfo } from './version';

export interface SecureServingOptions {
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  certPem: string | Buffer;
  keyPem: string | Buffer;
  /**
   * CA bundle that signs client certificates: the default authenticator verifies
   * them against it, and the TLS handshake names it to clients.
   */
  clientCAPem?: string | Buffer;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list for TLS 1.2 and below; default Node's. */
  ciphers?: string;
}

export interface GenericAPIServerOptions {
  secureServing: SecureServingOptions;
  /** Who makes each request; default: x509 client certificates verified against secureServing.clientCAPem. */
  authenticator?: Authenticator;
  anonymousAuth?: boolean;
  authorizer?: Authorizer;
  maxRequestsInFlight?: number;
  maxMutatingRequestsInFlight?: number;
  requestTimeoutMs?: number;
  maxRequestBodyBytes?: number;
  /** How long in-flight requests get to finish on shutdown. */
  shutdownTimeoutMs?: number;
  logger?: Logger;
  version?: VersionInfo;
  /** Called on shutdown after requests have drained (e.g. to close storage). */
  onShutdown?: () => Promise<void>;
}

const NOT_FOUND = () => new StatusError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });

export class GenericAPIServer {
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  private readonly app = new Koa<ApiState>();
  private readonly router = new Router<ApiState>();
  private readonly groups = new Map<string, InstalledGroup & { scheme: Scheme }>();
  private readonly healthChecks: HealthCheck[] = [];
  private readonly shutdownController = new AbortController();
  private readonly openapi: OpenAPIV3Service;
  private server?: https.Server;
  private shuttingDown = false;
  /** The serving options in force (certificates change on reload). */
  private secureServing: SecureServingOptions;

  constructor(private readonly options: GenericAPIServerOptions) {
    this.logger = options.logger ?? pino({ level: 'info' });
    this.secureServing = { ...options.secureServing };
    this.metrics = new ServerMetrics(() => this.countObjects());
    this.openapi = new OpenAPIV3Service(() => this.groupVersions());
    this.healthChecks.push({ name: 'ping', check: () => undefined });
    this.healthChecks.push({
      name: 'shutdown',
      readinessOnly: true,
      check: () => {
        if (this.shuttingDown) throw new Error('server is shutting down');
      },
    });
    this.installRoutes();
    const clientCAPem = options.secureServing.clientCAPem;
    const defaultAuthenticator: Authenticator = clientCAPem
      ? new X509Authenticator(staticCABundle(clientCAPem.toString(), 'client CA'))
      : { name: 'none', authenticate: () => ({ kind: 'none' }) };
    const handler = buildHandlerChain(
      compose([
        healthHandler(() => this.healthChecks, this.logger) as Koa.Middleware<ApiState>,
        this.router.routes() as Koa.Middleware<ApiState>,
        this.router.allowedMethods() as Koa.Middleware<ApiState>,
        async () => {
          throw NOT_FOUND();
        },
      ]),
      {
        logger: this.logger,
        metrics: this.metrics,
        authenticator: options.authenticator ?? defaultAuthenticator,
        anonymousAuth: options.anonymousAuth ?? false,
        authorizer: new UnionAuthorizer([privilegedGroups, options.authorizer ?? alwaysAllow]),
        maxRequestsInFlight: options.maxRequestsInFlight ?? 400,
        maxMutatingRequestsInFlight: options.maxMutatingRequestsInFlight ?? 200,
        requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      },
    );
    this.app.use(handler);
    this.app.silent = true;
  }

  /** A signal that aborts when shutdown begins (watches and controllers listen to it). */
  get shutdownSignal(): AbortSignal {
    return this.shutdownController.signal;
  }

  addHealthCheck(check: HealthCheck): void {
    this.healthChecks.push(check);
  }

  /** Mounts every resource of the group; discovery and OpenAPI pick it up at once. */
  installAPIGroup(info: APIGroupInfo): void {
    const versions = info.prioritizedVersions ?? info.scheme.groups().find((g) => g.group === info.group)?.versions ?? Object.keys(info.versionedResources);
    const installed: InstalledGroup & { scheme: Scheme } = {
      group: info.group,
      versions: versions.filter((v) => info.versionedResources[v]),
      resources: new Map(),
      scheme: info.scheme,
    };
    for (const version of installed.versions) {
      const paths = Object.keys(info.versionedResources[version]);
      const resources: InstalledResource[] = [];
      for (const path of paths.filter((p) => !p.includes('/'))) {
        const store = info.versionedResources[version][path];
        resources.push(
          installResource(
            this.router,
            { scheme: info.scheme, maxRequestBodyBytes: this.options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES, shutdown: this.shutdownSignal },
            info.group,
            version,
            path,
            store,
            paths.includes(`${path}/status`),
          ),
        );
      }
      installed.resources.set(version, resources);
    }
    this.groups.set(info.group, installed);
    this.openapi.invalidate();
    this.logger.debug({ group: info.group || 'core', versions: installed.versions }, 'installed API group');
  }

  /** Every installed resource version (for controllers such as namespace finalization). */
  installedResources(): InstalledResource[] {
    return [...this.groups.values()].flatMap((g) => [...g.resources.values()].flat());
  }

  private groupVersions(): Map<string, { resources: InstalledResource[]; scheme: Scheme }> {
    const out = new Map<string, { resources: InstalledResource[]; scheme: Scheme }>();
    for (const g of this.groups.values()) {
      for (const [version, resources] of g.resources) {
        out.set(g.group ? `apis/${g.group}/${version}` : `api/${version}`, { resources, scheme: g.scheme });
      }
    }
    return out;
  }

  private async countObjects(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const g of this.groups.values()) {
      const first = g.resources.get(g.versions[0]) ?? [];
      for (const r of first) {
        const name = g.group ? `${r.info.plural}.${g.group}` : r.info.plural;
        counts[name] = await r.store.count().catch(() => -1);
      }
    }
    return counts;
  }

  private installRoutes(): void {
    const json = (body: unknown) => (ctx: Koa.ParameterizedContext<ApiState>) => {
      const format = negotiateResponse(ctx.get('accept'));
      writeBody(ctx as unknown as Koa.Context, 200, body, format.encoding);
    };
    const r = this.router;
    r.get('/', (ctx) => json({ paths: this.rootPaths() })(ctx));
    r.get('/version', (ctx) => json(this.options.version ?? defaultVersionInfo())(ctx));
    r.get('/api', (ctx) => json(apiVersions(this.groups.get('')))(ctx));
    r.get('/apis', (ctx) => json(apiGroupList([...this.groups.values()]))(ctx));
    r.get('/apis/:group', (ctx) => {
      const g = this.groups.get(ctx.params.group);
      if (!g || g.group === '') throw NOT_FOUND();
      json(apiGroup(g))(ctx);
    });
    const resourceList = (group: string, version: string) => (ctx: Koa.ParameterizedContext<ApiState>) => {
      const resources = this.groups.get(group)?.resources.get(version);
      if (!resources) throw NOT_FOUND();
      json(apiResourceList(group, version, resources))(ctx);
    };
    r.get('/api/:version', (ctx) => resourceList('', ctx.params.version)(ctx));
    r.get('/apis/:group/:version', (ctx) => resourceList(ctx.params.group, ctx.params.version)(ctx));
    this.openapi.install(r as unknown as Router);
    r.get('/metrics', async (ctx) => {
      ctx.type = this.metrics.registry.contentType;
      ctx.body = await this.metrics.registry.metrics();
    });
  }

  private rootPaths(): string[] {
    const paths = ['/apis', '/healthz', '/livez', '/metrics', '/openapi/v3', '/readyz', '/version'];
    for (const g of this.groups.values()) {
      if (g.group === '') paths.push('/api', ...g.versions.map((v) => `/api/${v}`));
      else paths.push(`/apis/${g.group}`, ...g.versions.map((v) => `/apis/${g.group}/${v}`));
    }
    return paths.sort();
  }

  /** Starts serving; resolves with the bound address once listening. */
  async start(): Promise<AddressInfo> {
    const s = this.secureServing;
    // Any client certificate gets through the handshake: authenticators verify it against their own CA.
    this.server = https.createServer({ ...this.tlsContext(), requestCert: Boolean(s.clientCAPem), rejectUnauthorized: false }, this.app.callback());
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(s.port, s.bindAddress, () => resolve());
    });
    return this.server.address() as AddressInfo;
  }

  /** Serves new connections with these certificates (reloaded files); open connections keep theirs. */
  updateSecureServing(update: Pick<SecureServingOptions, 'certPem' | 'keyPem' | 'clientCAPem'>): void {
    this.secureServing = { ...this.secureServing, ...update };
    this.server?.setSecureContext(this.tlsContext());
  }

  private tlsContext(): https.ServerOptions {
    const s = this.secureServing;
    return { cert: s.certPem, key: s.keyPem, ca: s.clientCAPem, minVersion: s.minVersion ?? 'TLSv1.2', ciphers: s.ciphers };
  }

  /**
   * Graceful shutdown: /readyz fails, no new connections, watches end, in-flight
   * requests get up to shutdownTimeoutMs to finish, then onShutdown runs.
   */
  async stop(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.shutdownController.abort();
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = setTimeout(() => server.closeAllConnections(), this.options.shutdownTimeoutMs ?? 10_000);
      await closed;
      clearTimeout(timeout);
    }
    await this.options.onShutdown?.();
  }
}
