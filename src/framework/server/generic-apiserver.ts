/**
 * GenericAPIServer: koa behind HTTPS, the handler chain, and the routes of every
 * installed group — discovery, OpenAPI, health, metrics and the resources.
 */
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import compose from 'koa-compose';
import Router from '@koa/router';
import pino, { type Logger } from 'pino';
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
import type { InstalledGroup } from './discovery';
import { DiscoveryRoutes } from './discovery-routes';
import type { AuditOptions } from './filters/with-audit';
import { isHealthPath } from './filters/health-paths';
import { buildHandlerChain } from './handler-chain';
import { healthHandler, type HealthCheck } from './healthz';
import { ServerMetrics } from './metrics';
import { newNotFoundPath } from './not-found';
import { OpenAPIRoutes, type OpenAPIGroupVersion } from './openapi-routes';
import { readRequestsThroughStream, releaseUpgradedSocket } from './parse-through-stream';
import { dispatchUpgrade } from './upgrade';
import { defaultVersionInfo, type VersionInfo } from './version';

/** How long, once every connection is closed, requests that were cut off get to finish their handler chains. */
const UNWIND_AFTER_CLOSE_MS = 1000;

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
  /** The audit policy and where events go; absent: nothing is audited. */
  audit?: AuditOptions;
  maxRequestsInFlight?: number;
  maxMutatingRequestsInFlight?: number;
  requestTimeoutMs?: number;
  maxRequestBodyBytes?: number;
  /**
   * How long the server goes on serving once shutdown begins, /readyz failing
   * meanwhile, so that load balancers stop sending it requests first (kube's
   * --shutdown-delay-duration). Default 0.
   */
  shutdownDelayMs?: number;
  /** How long in-flight requests get to finish on shutdown (after the delay). */
  shutdownTimeoutMs?: number;
  logger?: Logger;
  version?: VersionInfo;
  /** Called on shutdown after requests have drained (e.g. to close storage). */
  onShutdown?: () => Promise<void>;
}

/** The group of a path below `/api/` (the core group, '') or `/apis/<group>/`; undefined for any other path. */
function groupOfPath(path: string): string | undefined {
  const match = /^\/(?:api\/|apis\/([^/]+)\/)/.exec(path);
  return match ? (match[1] ?? '') : undefined;
}

export class GenericAPIServer {
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  private readonly app = new Koa<ApiState>();
  private readonly router = new Router<ApiState>();
  private readonly groups = new Map<string, InstalledGroup & { scheme: Scheme }>();
  /** The resource routes of each installed group; installing a group again replaces them. */
  private readonly groupRoutes = new Map<string, Koa.Middleware<ApiState>>();
  /** Handlers added with use(), run before the server's own routes. */
  private readonly handlers: Koa.Middleware<ApiState>[] = [];
  /** The handlers composed once (per use()), not per request. */
  private composedHandlers?: Koa.Middleware<ApiState>;
  private readonly healthChecks: HealthCheck[] = [];
  private readonly shutdownController = new AbortController();
  private readonly openapi: OpenAPIRoutes;
  private server?: https.Server;
  private shuttingDown = false;
  /** The handler chains still running, each settling when its request is done. */
  private readonly requestsInFlight = new Set<Promise<unknown>>();
  /** The serving options in force (certificates change on reload). */
  private secureServing: SecureServingOptions;

  constructor(private readonly options: GenericAPIServerOptions) {
    // Every open watch listens for shutdown; thousands of them are normal.
    setMaxListeners(0, this.shutdownController.signal);
    this.logger = options.logger ?? pino({ level: 'info' });
    this.secureServing = { ...options.secureServing };
    this.metrics = new ServerMetrics(() => this.countObjects());
    this.openapi = new OpenAPIRoutes(() => this.groupVersions(), (options.version ?? defaultVersionInfo()).gitVersion);
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
    const health = healthHandler(() => this.healthChecks, this.logger) as Koa.Middleware<ApiState>;
    const serverRoutes = compose([this.router.routes(), this.router.allowedMethods()]) as Koa.Middleware<ApiState>;
    const notFound = () => Promise.reject(newNotFoundPath());
    // The server's own routes (discovery, OpenAPI, /version, /metrics) are all non-resource paths.
    const routes = (ctx: Koa.ParameterizedContext<ApiState>) =>
      ctx.state.requestInfo.isResourceRequest ? this.routeToGroup(ctx, notFound) : serverRoutes(ctx, () => this.routeToGroup(ctx, notFound));
    const handler = buildHandlerChain(
      // In turn: health probes, handlers added with use(), the server's routes, the groups' routes, 404.
      (ctx) => {
        const afterHealth = () => (this.composedHandlers ? this.composedHandlers(ctx, () => routes(ctx)) : routes(ctx));
        return isHealthPath(ctx.path) ? health(ctx, afterHealth) : afterHealth();
      },
      {
        logger: this.logger,
        metrics: this.metrics,
        authenticator: options.authenticator ?? defaultAuthenticator,
        anonymousAuth: options.anonymousAuth ?? false,
        authorizer: new UnionAuthorizer([privilegedGroups, options.authorizer ?? alwaysAllow]),
        audit: options.audit,
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

  /**
   * Mounts every resource of the group; discovery and OpenAPI pick it up at once.
   * Installing a group again (also while serving) replaces what it served before.
   */
  installAPIGroup(info: APIGroupInfo): void {
    const router = new Router<ApiState>();
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
            router,
            { scheme: info.scheme, maxRequestBodyBytes: this.options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES, shutdown: this.shutdownSignal },
            {
              group: info.group,
              version,
              plural: path,
              store,
              subresources: paths.filter((p) => p.startsWith(`${path}/`)).map((p) => p.slice(path.length + 1)),
            },
          ),
        );
      }
      installed.resources.set(version, resources);
    }
    this.groups.set(info.group, installed);
    this.groupRoutes.set(info.group, compose([router.routes(), router.allowedMethods()]) as Koa.Middleware<ApiState>);
    this.openapi.invalidate();
    this.logger.debug({ group: info.group || 'core', versions: installed.versions }, 'installed API group');
  }

  /** Stops serving a group: its routes, discovery and OpenAPI go at once; stored objects stay. */
  uninstallAPIGroup(group: string): void {
    this.groups.delete(group);
    this.groupRoutes.delete(group);
    this.openapi.invalidate();
    this.logger.debug({ group: group || 'core' }, 'uninstalled API group');
  }

  /** Hands a request below `/api/` or `/apis/<group>/` to the routes of that group, if installed. */
  private routeToGroup(ctx: Koa.ParameterizedContext<ApiState>, next: Koa.Next): Promise<unknown> {
    const info = ctx.state.requestInfo;
    // Other requests below a group (e.g. OPTIONS) still reach its routes, which answer them.
    const group = info.isResourceRequest ? info.apiGroup : groupOfPath(ctx.path);
    const routes = group === undefined ? undefined : this.groupRoutes.get(group);
    return routes ? routes(ctx, next) : next();
  }

  /**
   * Adds a handler that sees every request after the filters (the user is known
   * and authorized) and before the server's own routes; it calls next() for the
   * requests it does not serve. An aggregator proxies through one.
   */
  use(handler: Koa.Middleware<ApiState>): void {
    this.handlers.push(handler);
    this.composedHandlers = compose(this.handlers);
  }

  /** The groups this server serves itself, the core group ('') included. */
  installedGroups(): InstalledGroup[] {
    return [...this.groups.values()];
  }

  /** Every installed resource version (for controllers such as namespace finalization). */
  installedResources(): InstalledResource[] {
    return [...this.groups.values()].flatMap((g) => [...g.resources.values()].flat());
  }

  private groupVersions(): Map<string, OpenAPIGroupVersion> {
    const out = new Map<string, OpenAPIGroupVersion>();
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
    new DiscoveryRoutes(() => [...this.groups.values()]).install(r);
    this.openapi.install(r as unknown as Router);
    r.get('/metrics', async (ctx) => {
      ctx.type = this.metrics.registry.contentType;
      ctx.body = await this.metrics.registry.metrics();
    });
  }

  private rootPaths(): string[] {
    const paths = ['/apis', '/healthz', '/livez', '/metrics', '/openapi/v2', '/openapi/v3', '/readyz', '/version'];
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
    const handle = this.app.callback();
    const callback = (req: IncomingMessage, res: ServerResponse) => this.trackRequest(handle(req, res));
    this.server = https.createServer({ ...this.tlsContext(), requestCert: Boolean(s.clientCAPem), rejectUnauthorized: false }, callback);
    this.server.on('secureConnection', readRequestsThroughStream);
    this.server.on('upgrade', (req, socket, head) => {
      releaseUpgradedSocket(socket);
      dispatchUpgrade(callback, req, socket, head);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(s.port, s.bindAddress, () => resolve());
    });
    return this.server.address() as AddressInfo;
  }

  /** Serves new connections with these certificates (reloaded files); open connections keep theirs. */
  updateSecureServing(update: Partial<Pick<SecureServingOptions, 'certPem' | 'keyPem' | 'clientCAPem'>>): void {
    this.secureServing = { ...this.secureServing, ...update };
    this.server?.setSecureContext(this.tlsContext());
  }

  private tlsContext(): https.ServerOptions {
    const s = this.secureServing;
    return { cert: s.certPem, key: s.keyPem, ca: s.clientCAPem, minVersion: s.minVersion ?? 'TLSv1.2', ciphers: s.ciphers };
  }

  /** Keeps the handler chain of a request in flight until it settles. */
  private trackRequest(chain: Promise<unknown>): void {
    this.requestsInFlight.add(chain);
    void chain.finally(() => this.requestsInFlight.delete(chain));
  }

  /**
   * Graceful shutdown: /readyz fails; after shutdownDelayMs of serving as usual,
   * no new connections, watches end, in-flight requests get up to
   * shutdownTimeoutMs to finish, then onShutdown runs.
   */
  async stop(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const delayMs = this.options.shutdownDelayMs ?? 0;
    if (delayMs > 0) {
      this.logger.info({ delayMs }, 'shutdown: /readyz fails, serving on until the delay has passed');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    this.shutdownController.abort();
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = setTimeout(() => server.closeAllConnections(), this.options.shutdownTimeoutMs ?? 10_000);
      await closed;
      clearTimeout(timeout);
      // The chains of requests cut off just now unwind (and write their audit events) before storage and the audit log close.
      let unwound: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(this.requestsInFlight), new Promise((resolve) => (unwound = setTimeout(resolve, UNWIND_AFTER_CLOSE_MS)))]);
      clearTimeout(unwound);
    }
    await this.options.onShutdown?.();
  }
}
