/**
 * The authentication settings an extension server takes from its core cluster
 * when its flags leave them open (k8s.io/apiserver's delegated authentication
 * with --authentication-kubeconfig): the CA of users' client certificates when
 * --client-ca-file is not given, and the front proxy's request-header settings
 * when --requestheader-client-ca-file is not, both kept current with the
 * cluster's `kube-system/extension-apiserver-authentication` ConfigMap.
 */
import type { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClusterAuthenticationSettings } from '../../auth/authentication-configmap';
import { parseCertificateBundle, staticCABundle, type CABundleSource } from '../../auth/client-certificate';
import { DynamicRequestHeaderAuthenticator } from '../../auth/dynamic-request-header';
import { loadClientConfig } from '../../client/client-config';
import { RESTClient } from '../../client/rest-client';
import { AuthenticationConfigMapController } from './authentication-configmap-controller';

export interface ClusterAuthenticationOptions {
  /** `--authentication-kubeconfig`: the core cluster and the server's credentials there. */
  kubeconfig: string;
  /** Take users' client CA from the cluster. */
  clientCA: boolean;
  /** Take the front proxy's settings from the cluster. */
  requestHeader: boolean;
  /** `--authentication-tolerate-lookup-failure`: start even when the ConfigMap cannot be read. */
  tolerateLookupFailure: boolean;
  logger: Logger;
}

export class ClusterAuthentication {
  /** Users' client CA as the cluster publishes it (none until it does); absent when not taken from the cluster. */
  readonly clientCA?: CABundleSource;
  /** The front proxy as the cluster describes it; absent when not taken from the cluster. */
  readonly requestHeader?: DynamicRequestHeaderAuthenticator;
  private clientCertificates: readonly X509Certificate[] = [];
  /** The PEM bundles in force, which the TLS handshake names to clients. */
  private pems: { clientCA?: string; requestHeaderCA?: string } = {};
  private readonly rest: RESTClient;
  private readonly controller: AuthenticationConfigMapController;
  private readonly stopped = new AbortController();
  private onHandshakeCAChange?: () => void;

  constructor(private readonly options: ClusterAuthenticationOptions) {
    if (options.clientCA) this.clientCA = () => this.clientCertificates;
    if (options.requestHeader) this.requestHeader = new DynamicRequestHeaderAuthenticator();
    const clientConfig = loadClientConfig(options.kubeconfig);
    this.rest = new RESTClient(clientConfig);
    this.controller = new AuthenticationConfigMapController({ rest: this.rest, clientConfig, apply: (s) => this.apply(s), logger: options.logger });
  }

  /**
   * Reads the cluster's settings before the server serves. Rejects when they
   * cannot be read, unless failures are tolerated: then the server starts
   * trusting nothing from the cluster until follow() reads them.
   */
  async start(): Promise<void> {
    try {
      await this.controller.readOnce();
    } catch (err) {
      if (!this.options.tolerateLookupFailure) throw err;
      this.options.logger.warn(
        { err: (err as Error).message },
        'starting without the core cluster\'s authentication settings (--authentication-tolerate-lookup-failure): requests through its front proxy are not authenticated until they can be read',
      );
    }
  }

  /** Applies the cluster's changes from now on; `onHandshakeCAChange` runs when a CA bundle the handshake names has changed. */
  follow(onHandshakeCAChange: () => void): void {
    this.onHandshakeCAChange = onHandshakeCAChange;
    this.controller.run(this.stopped.signal);
  }

  /** The cluster's CA bundles in force, for the TLS handshake. */
  handshakeCAPems(): string[] {
    return [this.pems.clientCA, this.pems.requestHeaderCA].filter((pem) => pem !== undefined);
  }

  close(): void {
    this.stopped.abort();
    this.rest.close();
  }

  private apply(settings: ClusterAuthenticationSettings): void {
    const logger = this.options.logger;
    const clientCAPem = this.clientCA ? settings.clientCAPem : undefined;
    const requestHeader = this.requestHeader ? settings.requestHeader : undefined;
    // Everything is parsed before anything changes, so a bad bundle leaves the settings in force.
    const clientCertificates = clientCAPem ? parseCertificateBundle(clientCAPem, 'client-ca-file') : [];
    const requestHeaderCA = requestHeader && staticCABundle(requestHeader.clientCAPem, 'requestheader-client-ca-file');
    this.clientCertificates = clientCertificates;
    this.requestHeader?.update(requestHeader && requestHeaderCA && { ...requestHeader, clientCA: requestHeaderCA });
    if (this.clientCA && !clientCAPem) logger.warn('the core cluster publishes no client-ca-file: client certificates it signs are not trusted');
    if (this.requestHeader && !requestHeader) logger.warn('the core cluster publishes no requestheader-client-ca-file: no front proxy is trusted');
    logger.info({ requestHeaderAllowedNames: requestHeader?.allowedNames }, 'authentication settings from the core cluster in force');
    const pems = { clientCA: clientCAPem, requestHeaderCA: requestHeader?.clientCAPem };
    const changed = pems.clientCA !== this.pems.clientCA || pems.requestHeaderCA !== this.pems.requestHeaderCA;
    this.pems = pems;
    if (changed) this.onHandshakeCAChange?.();
  }
}
