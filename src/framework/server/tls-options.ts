/**
 * TLS settings from flags: cipher suites by their IANA names (as kube-apiserver's
 * --tls-cipher-suites takes them), and reloading the serving certificate and the
 * client CA bundles when their files change.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { DynamicCABundle } from '../auth/client-certificate';
import type { GenericAPIServer } from './generic-apiserver';
import { reasonToReplace } from './pki/check-certificate';
import { watchFiles, type FileWatchOptions } from './pki/file-watcher';

/** IANA names Go accepts, to OpenSSL's names (TLS 1.3 suites are spelled alike). */
const OPENSSL_CIPHER_NAMES: Record<string, string> = {
  TLS_AES_128_GCM_SHA256: 'TLS_AES_128_GCM_SHA256',
  TLS_AES_256_GCM_SHA384: 'TLS_AES_256_GCM_SHA384',
  TLS_CHACHA20_POLY1305_SHA256: 'TLS_CHACHA20_POLY1305_SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
};

/** The OpenSSL cipher list for IANA suite names; undefined for none (Node's defaults). */
export function opensslCipherList(suites: readonly string[]): string | undefined {
  if (suites.length === 0) return undefined;
  return suites
    .map((suite) => {
      const name = OPENSSL_CIPHER_NAMES[suite];
      if (!name) throw new Error(`--tls-cipher-suites: unsupported cipher suite ${JSON.stringify(suite)}; supported: ${Object.keys(OPENSSL_CIPHER_NAMES).join(', ')}`);
      return name;
    })
    .join(':');
}

export interface ReloadableTLSFiles {
  servingCertFile: string;
  servingKeyFile: string;
  clientCA?: { file: string; bundle: DynamicCABundle };
  requestHeaderCA?: { file: string; bundle: DynamicCABundle };
  /** Every CA bundle a client certificate may chain to, for the handshake. */
  handshakeCAPem(): string;
}

/**
 * Watches the serving certificate, its key and the CA bundles; when one changes,
 * reads them again and, if they are usable, serves new connections with them. A
 * broken file (a key that does not match, half-written PEM) is logged and the
 * previous certificates stay in use. Returns a function that stops watching.
 */
export function reloadTLSFilesOnChange(server: GenericAPIServer, files: ReloadableTLSFiles, logger: Logger, watch?: FileWatchOptions): () => void {
  const caFiles = [files.clientCA, files.requestHeaderCA].filter((ca) => ca !== undefined);
  const reload = () => {
    try {
      const certPem = readFileSync(files.servingCertFile, 'utf8');
      const keyPem = readFileSync(files.servingKeyFile, 'utf8');
      const problem = reasonToReplace({ certPem, keyPem }, {});
      if (problem) throw new Error(`${files.servingCertFile}: ${problem}`);
      for (const ca of caFiles) ca.bundle.update(readFileSync(ca.file, 'utf8'));
      server.updateSecureServing({ certPem, keyPem, clientCAPem: files.handshakeCAPem() });
      logger.info({ servingCert: files.servingCertFile }, 'reloaded TLS certificates');
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'TLS files changed but cannot be used; serving with the previous ones');
    }
  };
  return watchFiles([files.servingCertFile, files.servingKeyFile, ...caFiles.map((ca) => ca.file)], reload, watch);
}
