/**
 * Assembles a runnable server: certificates, storage (embedded SQLite or etcd,
 * behind the watch cache), the GenericAPIServer, the core namespaces and every
 * API group — and, in the spirit of apiserver-runtime's builder, the short path
 * `withResource(Type)` that compiles a resource class into a Store and a group.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { AdmissionChain, type AdmissionMatch, type MutatingAdmissionPlugin, type ValidatingAdmissionPlugin } from '../admission/interfaces';
import { MutatingWebhooks, ValidatingWebhooks } from '../admission/webhook/admission-webhooks';
import { validateWebhookConfiguration, type WebhookConfiguration } from '../admission/webhook/configuration';
import { privilegedGroups, UnionAuthorizer } from '../auth/authorizer';
import { RBACAuthorizer } from '../auth/rbac/authorizer';
import { installRBAC, type InstalledRBAC } from '../auth/rbac/install';
import { reviewGroups } from '../auth/reviews/install';
import type { GroupResource } from '../api/status';
import { installAPIExtensions } from '../apiextensions/install';
import { installCore } from '../core/install';
import type { NamespaceController } from '../core/namespace/controller';
import type { Class, Scheme } from '../runtime';
import { Scheme as SchemeClass } from '../runtime';
import { Store } from '../registry/store';
import type { RESTStrategy } from '../registry/strategy';
import { strategyFromHooks } from '../registry/hook-strategy';
import { Cacher } from '../storage/cacher';
import { parseEtcdServersOverrides } from '../storage/etcd3';
import { EncryptedStorage, readEncryptionConfiguration } from '../storage/encryption';
import { createStorageFactory, type StorageFactory } from '../storage/factory';
import type { StorageInterface } from '../storage/interface';
import { resourceKeyRoot } from '../storage/keys';
import { ensureServerCertificates, writeAdminKubeconfig } from './admin-kubeconfig';
import { mergeAPIGroupInfos, type APIGroupInfo } from './api-group-info';
import { newServerAuthentication } from './authentication-options';
import { newServerAuthorization } from './authorization-options';
import { aggregatedOptions } from './delegation/aggregated-options';
import { coreClusterNamespaceLifecycle } from './delegation/core-cluster-namespaces';
import { auditFromOptions } from './audit/from-options';
import { GenericAPIServer } from './generic-apiserver';
import type { ServerRunOptions } from './options';
import { applyStorageVersions, parseStorageVersions, unservedStorageVersions } from './storage-versions';
import { isSupervisedWorker, kubeconfigFromPrimary, runsSingletonControllers } from './workers';
import { opensslCipherList, reloadTLSFilesOnChange } from './tls-options';

/** What a group's installer is given to build its Stores. */
export interface GroupInstallContext {
  scheme: Scheme;
  storageFor(gr: GroupResource): StorageInterface;
  admission: AdmissionChain;
  logger: Logger;
}

/** A group (or several) that a server can serve, selected by name with --groups. */
export interface APIGroupDefinition {
  name: string;
  install(ctx: GroupInstallContext): APIGroupInfo[];
  /** Runs in-process once the server serves (controllers); resolves when started. */
  start?(running: RunningServer): Promise<void>;
}

export interface RunningServer {
  server: GenericAPIServer;
  address: AddressInfo;
  /** `https://<host>:<port>` */
  url: string;
  /** The admin kubeconfig written into the data dir (absent with a foreign client CA). */
  kubeconfigPath?: string;
  logger: Logger;
  /** Empties terminating namespaces; an aggregator adds its backends' content to it. Absent with --aggregated. */
  namespaceController?: NamespaceController;
  /** Whether controllers that must run once per server start here: always when serving alone, in one worker of `--workers N`. */
  runsSingletonControllers: boolean;
  stop(): Promise<void>;
}

interface ResourceRegistration {
  types: Class[];
  strategy?: RESTStrategy;
}

function hostForURL(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

export class APIServerBuilder {
  readonly scheme: Scheme = new SchemeClass();
  private readonly groups: APIGroupDefinition[] = [];
  private readonly resources: ResourceRegistration[] = [];
  private readonly mutatingPlugins: { plugin: MutatingAdmissionPlugin; match?: AdmissionMatch }[] = [];
  private readonly validatingPlugins: { plugin: ValidatingAdmissionPlugin; match?: AdmissionMatch }[] = [];
  private readonly webhooks: { mutating: WebhookConfiguration[]; validating: WebhookConfiguration[] } = { mutating: [], validating: [] };

  /** Adds a group installer (the long form: your own Stores and strategies). */
  withGroup(definition: APIGroupDefinition): this {
    this.groups.push(definition);
    return this;
  }

  /**
   * The short path: serve a resource from its classes (the hub and its versions;
   * one class may be both). Hook methods on the hub class — validate(),
   * prepareForCreate(), prepareForUpdate(old), validateUpdate(old) — become its
   * strategy unless one is given.
   */
  withResource(types: Class | Class[], options: { strategy?: RESTStrategy } = {}): this {
    this.resources.push({ types: Array.isArray(types) ? types : [types], strategy: options.strategy });
    return this;
  }

  /** A mutating admission plugin written in code, for the writes `match` selects (default: every write). */
  withMutatingAdmission(plugin: MutatingAdmissionPlugin, match?: AdmissionMatch): this {
    this.mutatingPlugins.push({ plugin, match });
    return this;
  }

  /** A validating admission plugin written in code, for the writes `match` selects (default: every write). */
  withValidatingAdmission(plugin: ValidatingAdmissionPlugin, match?: AdmissionMatch): this {
    this.validatingPlugins.push({ plugin, match });
    return this;
  }

  /**
   * Admission webhooks, in the shape of admissionregistration.k8s.io/v1
   * MutatingWebhookConfiguration and ValidatingWebhookConfiguration. They run
   * after the plugins written in code. Throws at once on an invalid configuration.
   */
  withAdmissionWebhooks(configurations: { mutating?: WebhookConfiguration[]; validating?: WebhookConfiguration[] }): this {
    const problems = [...(configurations.mutating ?? []), ...(configurations.validating ?? [])].flatMap(validateWebhookConfiguration);
    if (problems.length > 0) throw new Error(`invalid webhook configuration:\n${problems.join('\n')}`);
    this.webhooks.mutating.push(...(configurations.mutating ?? []));
    this.webhooks.validating.push(...(configurations.validating ?? []));
    return this;
  }

  /** The plugins and webhooks given to the builder, after the framework's own (NamespaceLifecycle). */
  private registerAdmission(admission: AdmissionChain): void {
    for (const { plugin, match } of this.mutatingPlugins) admission.addMutating(plugin, match);
    for (const { plugin, match } of this.validatingPlugins) admission.addValidating(plugin, match);
    if (this.webhooks.mutating.length > 0) admission.addMutating(new MutatingWebhooks(this.scheme, this.webhooks.mutating));
    if (this.webhooks.validating.length > 0) admission.addValidating(new ValidatingWebhooks(this.scheme, this.webhooks.validating));
  }

  private resourceGroups(ctx: GroupInstallContext): APIGroupInfo[] {
    const byGroup = new Map<string, APIGroupInfo>();
    for (const registration of this.resources) {
      this.scheme.addKnownTypes(...registration.types);
      const served = this.scheme.resources().filter((r) => registration.types.includes(r.type));
      if (served.length === 0) throw new Error(`withResource: none of ${registration.types.map((t) => t.name).join(', ')} is a @Resource`);
      const hub = served[0].hubGVK;
      const hubType = this.scheme.newObject(hub).constructor as Class;
      const store = new Store({
        scheme: this.scheme,
        resource: served[0],
        storage: ctx.storageFor({ group: hub.group, resource: served[0].plural }),
        strategy: registration.strategy ?? strategyFromHooks(hubType),
        admission: ctx.admission,
      });
      for (const info of served) {
        const group = byGroup.get(info.gvk.group) ?? { group: info.gvk.group, scheme: this.scheme, versionedResources: {} };
        byGroup.set(info.gvk.group, group);
        const version = (group.versionedResources[info.gvk.version] ??= {});
        version[info.plural] = store;
        if (info.subresources.status) version[`${info.plural}/status`] = store;
        if (info.subresources.scale) version[`${info.plural}/scale`] = store;
      }
    }
    return [...byGroup.values()];
  }

  /** Starts serving with the given options; resolves once the server listens. */
  async run(runOptions: ServerRunOptions, logger: Logger = pino({ level: runOptions.logLevel })): Promise<RunningServer> {
    const options = aggregatedOptions(runOptions, logger);
    const unknown = options.groups.filter((name) => !this.groups.some((g) => g.name === name));
    if (unknown.length > 0) {
      throw new Error(`--groups names no such group: ${unknown.join(', ')} (known: ${this.groups.map((g) => g.name).join(', ') || 'none'})`);
    }
    const storageVersions = parseStorageVersions(options.storageVersions);
    applyStorageVersions(this.scheme, storageVersions);
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const pki = await ensureServerCertificates(options, (msg) => logger.info(msg));
    // Behind a core cluster, the namespaces are the core cluster's and the server serves its own groups only.
    const coreNamespaces = options.aggregated ? coreClusterNamespaceLifecycle(options, logger) : undefined;
    const authentication = newServerAuthentication(options, pki.clientCA.certPem, logger);
    const rbacAuthorizer = new RBACAuthorizer();
    const authorization = newServerAuthorization(options, rbacAuthorizer);
    await authentication.start().catch((err: unknown) => {
      authentication.close();
      authorization.close();
      coreNamespaces?.close();
      throw err;
    });
    // What the server decides with (system:masters first), also for access reviews and RBAC's escalate and bind checks.
    const serverAuthorizer = new UnionAuthorizer([privilegedGroups, authorization.authorizer]);
    const audit = auditFromOptions(options, logger);
    const encryption = options.encryptionProviderConfig ? readEncryptionConfiguration(options.encryptionProviderConfig) : undefined;
    const storage = this.storageFactory(options);
    const cachers: Cacher[] = [];
    let cachersStarted = false;
    const storageFor = (gr: GroupResource): StorageInterface => {
      const resourceEncryption = encryption?.forResource(gr);
      const backend = resourceEncryption ? new EncryptedStorage(storage.forResource(gr), resourceEncryption, gr) : storage.forResource(gr);
      if (!options.watchCache) return backend;
      const cacher = new Cacher(backend, { prefix: resourceKeyRoot(gr) });
      cachers.push(cacher);
      // As kube's reflector says "Caches populated": from here on reads of gr are served from memory.
      cacher.ready.then(
        () => logger.info({ group: gr.group, resource: gr.resource }, 'watch cache populated'),
        () => undefined,
      );
      // A resource added while serving (a group installed at runtime) is cached at once.
      if (cachersStarted) void cacher.start();
      return cacher;
    };

    const admission = new AdmissionChain();
    const server = new GenericAPIServer({
      secureServing: {
        bindAddress: options.bindAddress,
        port: options.securePort,
        certPem: pki.servingCert.certPem,
        keyPem: pki.servingCert.keyPem,
        clientCAPem: authentication.handshakeCAPem(),
        minVersion: options.tlsMinVersion,
        ciphers: opensslCipherList(options.tlsCipherSuites),
      },
      authenticator: authentication.authenticator,
      authorizer: authorization.authorizer,
      audit,
      anonymousAuth: options.anonymousAuth,
      maxRequestsInFlight: options.maxRequestsInFlight,
      maxMutatingRequestsInFlight: options.maxMutatingRequestsInFlight,
      requestTimeoutMs: options.requestTimeoutMs,
      shutdownDelayMs: options.shutdownDelayMs,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
      logger,
      onShutdown: async () => {
        stopReloadingTLS();
        rbac?.stop();
        authentication.close();
        authorization.close();
        coreNamespaces?.close();
        await Promise.all(cachers.map((c) => c.close()));
        await storage.close();
        audit?.sink.close();
      },
    });
    server.addHealthCheck({ name: options.etcdServers.length > 0 ? 'etcd' : 'storage', check: () => storage.healthCheck() });
    authentication.follow(() => server.updateSecureServing({ clientCAPem: authentication.handshakeCAPem() }));
    coreNamespaces?.run(server.shutdownSignal);

    const ctx: GroupInstallContext = { scheme: this.scheme, storageFor, admission, logger };
    const core = options.aggregated ? undefined : installCore(server, { scheme: this.scheme, storageFor, admission });
    if (coreNamespaces) admission.addValidating(coreNamespaces.plugin);
    this.registerAdmission(admission);
    const apiextensions = options.aggregated ? undefined : installAPIExtensions(server, { scheme: this.scheme, storageFor, admission, logger });
    const selected = this.groups.filter((g) => options.groups.length === 0 || options.groups.includes(g.name));
    const groupInfos = [...(core ? [core.group] : []), ...selected.flatMap((g) => g.install(ctx)), ...this.resourceGroups(ctx)];
    for (const info of mergeAPIGroupInfos(groupInfos)) server.installAPIGroup(info);
    const unserved = unservedStorageVersions(this.scheme, storageVersions);
    if (unserved.length > 0) {
      await storage.close();
      throw new Error(`--storage-version names no served resource: ${unserved.join(', ')}`);
    }
    if (!options.aggregated) {
      const reviews = reviewGroups({ scheme: this.scheme, authorizer: serverAuthorizer, tokenAuthenticators: authentication.tokenAuthenticators });
      for (const info of reviews) server.installAPIGroup(info);
    }
    const rbac: InstalledRBAC | undefined = authorization.modes.includes('RBAC')
      ? installRBAC({ scheme: this.scheme, storageFor, admission, rbac: rbacAuthorizer, authorizer: serverAuthorizer, logger })
      : undefined;
    if (rbac) server.installAPIGroup(rbac.group);
    for (const cacher of cachers) void cacher.start();
    await rbac?.start();
    cachersStarted = true;

    const stopReloadingTLS = reloadTLSFilesOnChange(
      server,
      {
        servingCertFile: pki.files.servingCert,
        servingKeyFile: pki.files.servingKey,
        clientCA: { file: pki.files.clientCA, bundle: authentication.clientCA },
        requestHeaderCA: options.requestHeaderClientCAFile && authentication.requestHeaderCA ? { file: options.requestHeaderClientCAFile, bundle: authentication.requestHeaderCA } : undefined,
        handshakeCAPem: authentication.handshakeCAPem,
      },
      logger,
    );
    const address = await server.start();
    await core?.start();
    await apiextensions?.start();
    const url = `https://${hostForURL(address)}:${address.port}`;
    // Of several workers, the primary writes the kubeconfig once (see workers.ts).
    const kubeconfigPath = isSupervisedWorker() ? await kubeconfigFromPrimary(url) : await writeAdminKubeconfig(options, pki, url, (msg) => logger.info(msg));
    const running: RunningServer = { server, address, url, kubeconfigPath, logger, namespaceController: core?.namespaceController, runsSingletonControllers: runsSingletonControllers(), stop: () => server.stop() };
    for (const group of selected) await group.start?.(running);
    return running;
  }

  private storageFactory(options: ServerRunOptions): StorageFactory {
    if (options.etcdServers.length > 0) {
      return createStorageFactory({
        backend: 'etcd3',
        servers: options.etcdServers,
        prefix: options.etcdPrefix,
        tls: options.etcdCAFile || options.etcdCertFile ? { caFile: options.etcdCAFile, certFile: options.etcdCertFile, keyFile: options.etcdKeyFile } : undefined,
        compactionIntervalMs: options.etcdCompactionIntervalMs,
        overrides: parseEtcdServersOverrides(options.etcdServersOverrides),
      });
    }
    return createStorageFactory({ backend: 'sqlite', dataDir: options.dataDir, prefix: options.etcdPrefix });
  }
}
