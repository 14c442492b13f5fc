import { promises as fs } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { reasonToReplace } from './check-certificate';
import { CA_VALIDITY_DAYS, CertKeyPair, createCertificate, LEAF_VALIDITY_DAYS } from './create-certificate';
import { ensureStoredPair, pairFiles } from './stored-pair';

/** Hosts the generated serving certificate covers unless told otherwise. */
export const DEFAULT_SERVING_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** Subject CNs of the generated certificates. */
const CA_COMMON_NAME = 'apiserver-kit-ca';
const SERVING_COMMON_NAME = 'apiserver-kit';

/** A CA certificate, with its key when certificates can be issued from it. */
export interface CertificateAuthority {
  certPem: string;
  keyPem?: string;
}

export interface ServingCertificateOptions {
  /** Folder of the generated files (`ca.crt`, `ca.key`, `apiserver.crt`, `apiserver.key`); created owner-only. */
  certDir: string;
  /** Host names and IP addresses the generated serving certificate must be valid for. Default: localhost, 127.0.0.1, ::1. */
  hosts?: string[];
  /**
   * The user's serving certificate (PEM, optionally followed by its chain) and key
   * (`--tls-cert-file`, `--tls-private-key-file`). Given both, nothing is generated for serving.
   */
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  /** CA bundle that client certificates must chain to (`--client-ca-file`). Default: the CA in certDir. */
  clientCAFile?: string;
  /** Told about every file generated and why. */
  log?: (msg: string) => void;
}

export interface ServingPKI {
  /**
   * What clients trust to verify the serving certificate (a kubeconfig's certificate-authority-data):
   * the CA in certDir, or with a user's serving certificate the chain that follows it in
   * tlsCertFile (the certificate itself when it comes alone), then without a key.
   */
  ca: CertificateAuthority;
  servingCert: CertKeyPair;
  /** What the server trusts to verify client certificates; has a key when it is the CA in certDir. */
  clientCA: CertificateAuthority;
  files: {
    /** Present when the CA in certDir is in use. */
    caCert?: string;
    caKey?: string;
    servingCert: string;
    servingKey: string;
    clientCA: string;
  };
}

/**
 * Makes sure the server has what it needs for TLS, the way kubeadm does: files
 * that exist and still fit are used, only missing or unfit ones are generated.
 * The CA in certDir (`ca.crt`/`ca.key`, self-signed) signs the serving certificate
 * (`apiserver.crt`/`apiserver.key`) and is also the client CA, unless the user
 * brings their own. A serving certificate that has lost its key, expired, is not
 * signed by the CA or does not cover every host is generated again, and `log`
 * says why.
 */
export async function ensureServingCertificates(opts: ServingCertificateOptions): Promise<ServingPKI> {
  const log = opts.log ?? (() => undefined);
  const hosts = opts.hosts ?? [...DEFAULT_SERVING_HOSTS];
  const userServing = await readUserServingPair(opts);
  const caLocation = { dir: opts.certDir, baseName: 'ca' };
  const servingLocation = { dir: opts.certDir, baseName: 'apiserver' };

  // The CA in certDir is needed unless both the serving certificate and the client CA are the user's.
  const ownCA =
    userServing && opts.clientCAFile
      ? undefined
      : await ensureStoredPair(
          caLocation,
          { ca: true },
          () => createCertificate({ usage: 'ca', commonName: CA_COMMON_NAME, validDays: CA_VALIDITY_DAYS }),
          log,
        );
  const caFiles = ownCA && pairFiles(caLocation);

  const servingCert =
    userServing?.pair ??
    (await ensureStoredPair(
      servingLocation,
      { issuer: new X509Certificate(ownCA!.certPem), hosts },
      () => createCertificate({ usage: 'server', commonName: SERVING_COMMON_NAME, hosts, validDays: LEAF_VALIDITY_DAYS }, ownCA),
      log,
    ));
  const servingFiles = userServing?.files ?? pairFiles(servingLocation);

  const clientCA: CertificateAuthority = opts.clientCAFile ? { certPem: await fs.readFile(opts.clientCAFile, 'utf8') } : ownCA!;
  return {
    ca: userServing ? { certPem: issuersOf(userServing.pair.certPem) } : ownCA!,
    servingCert,
    clientCA,
    files: {
      caCert: caFiles?.certFile,
      caKey: caFiles?.keyFile,
      servingCert: servingFiles.certFile,
      servingKey: servingFiles.keyFile,
      clientCA: opts.clientCAFile ?? caFiles!.certFile,
    },
  };
}

async function readUserServingPair(
  opts: ServingCertificateOptions,
): Promise<{ pair: CertKeyPair; files: { certFile: string; keyFile: string } } | undefined> {
  const { tlsCertFile: certFile, tlsPrivateKeyFile: keyFile } = opts;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new Error('tlsCertFile and tlsPrivateKeyFile must be given together');
  }
  const [certPem, keyPem] = await Promise.all([fs.readFile(certFile, 'utf8'), fs.readFile(keyFile, 'utf8')]);
  const reason = reasonToReplace({ certPem, keyPem }, {});
  if (reason !== undefined) throw new Error(`cannot serve with ${certFile} and ${keyFile}: ${reason}`);
  return { pair: { certPem, keyPem }, files: { certFile, keyFile } };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

/** The certificates after the first in a PEM bundle, or the only one (which then must be trusted itself). */
function issuersOf(bundlePem: string): string {
  const certificates = bundlePem.match(PEM_CERTIFICATE) ?? [];
  return certificates.length > 1 ? certificates.slice(1).join('') : bundlePem;
}
