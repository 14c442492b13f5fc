/**
 * What a core cluster tells the servers behind it about authentication, as
 * kube-apiserver's ClusterAuthenticationTrustController does: the
 * `kube-system/extension-apiserver-authentication` ConfigMap with the CA of users'
 * client certificates and the front proxy's request-header settings (lists as
 * JSON arrays), rewritten whenever a CA file changes and put right again
 * periodically if someone edits or deletes it.
 */
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { INTERNAL_VERSION } from '../api';
import { AUTHENTICATION_CONFIGMAP } from '../auth/authentication-configmap';
import { isNotFound } from '../api/status';
import { newRequestContext } from '../registry/context';
import type { Store } from '../registry/store';
import type { KubeObject, Scheme } from '../runtime';
import { watchFiles } from '../server/pki/file-watcher';

/** The front proxy as the servers behind it must trust it (the `--requestheader-*` flags of an extension server). */
export interface RequestHeaderPublication {
  clientCAFile: string;
  allowedNames: string[];
  usernameHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
  uidHeaders: string[];
}

export interface ClusterAuthentication {
  /** The CA bundle users' client certificates chain to. */
  clientCAFile: string;
  requestHeader: RequestHeaderPublication;
}

/** The ConfigMap's data, with the keys kube-apiserver writes. */
export async function extensionAuthenticationData(auth: ClusterAuthentication): Promise<Record<string, string>> {
  const [clientCA, requestHeaderCA] = await Promise.all([readFile(auth.clientCAFile, 'utf8'), readFile(auth.requestHeader.clientCAFile, 'utf8')]);
  const rh = auth.requestHeader;
  return {
    'client-ca-file': clientCA,
    'requestheader-client-ca-file': requestHeaderCA,
    'requestheader-allowed-names': JSON.stringify(rh.allowedNames),
    'requestheader-username-headers': JSON.stringify(rh.usernameHeaders),
    'requestheader-group-headers': JSON.stringify(rh.groupHeaders),
    'requestheader-extra-headers-prefix': JSON.stringify(rh.extraHeaderPrefixes),
    'requestheader-uid-headers': JSON.stringify(rh.uidHeaders),
  };
}

interface ConfigMapLike extends KubeObject {
  data?: Record<string, string>;
}

export interface ClusterAuthenticationTrustOptions {
  auth: ClusterAuthentication;
  /** The core group's ConfigMap Store. */
  configMaps: Store;
  scheme: Scheme;
  logger: Logger;
  signal: AbortSignal;
  /** How often the ConfigMap is checked against the files; default one minute, as kube-apiserver. */
  resyncIntervalMs?: number;
}

export class ClusterAuthenticationTrustController {
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly options: ClusterAuthenticationTrustOptions) {}

  /** Writes the ConfigMap once, then keeps it current until the signal aborts. */
  async start(): Promise<void> {
    await this.sync();
    const { auth, signal } = this.options;
    const resync = () => void this.requestSync();
    const stopWatching = watchFiles([auth.clientCAFile, auth.requestHeader.clientCAFile], resync, { intervalMs: this.options.resyncIntervalMs });
    const interval = setInterval(resync, this.options.resyncIntervalMs ?? 60_000);
    interval.unref();
    signal.addEventListener('abort', () => {
      stopWatching();
      clearInterval(interval);
    });
  }

  /** One sync after any running one; failures are logged and retried at the next trigger. */
  requestSync(): Promise<void> {
    this.syncing = this.syncing.then(() =>
      this.sync().catch((err: unknown) => this.options.logger.error({ err }, `could not update ${AUTHENTICATION_CONFIGMAP.namespace}/${AUTHENTICATION_CONFIGMAP.name}`)),
    );
    return this.syncing;
  }

  private async sync(): Promise<void> {
    const { configMaps, scheme } = this.options;
    const { namespace, name } = AUTHENTICATION_CONFIGMAP;
    const data = await extensionAuthenticationData(this.options.auth);
    const ctx = newRequestContext({ namespace });
    const current = await configMaps.get(ctx, name).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (current && isDeepStrictEqual((current as ConfigMapLike).data ?? {}, data)) return;
    await configMaps.update(ctx, name, {
      forceAllowCreate: true,
      objInfo: (existing) => {
        const cm = (existing ?? scheme.newObject({ group: '', version: INTERNAL_VERSION, kind: 'ConfigMap' })) as ConfigMapLike;
        cm.metadata = { ...cm.metadata, name, namespace };
        cm.data = data;
        return cm;
      },
    });
    this.options.logger.info(`wrote ${namespace}/${name}`);
  }
}
