/**
 * The admin credentials a standalone server hands its user: a client certificate
 * in system:masters, signed by the generated client CA, and a kubeconfig that
 * names the server's URL.
 */
import path from 'node:path';
import type { ServerRunOptions } from './options';
import { ensureClientCertificate, ensureServingCertificates, writeKubeconfig, type ServingPKI } from './pki';

/** The serving and client certificates the options call for: existing files are used, missing ones generated. */
export function ensureServerCertificates(options: ServerRunOptions, log: (msg: string) => void): Promise<ServingPKI> {
  return ensureServingCertificates({
    certDir: options.certDir,
    tlsCertFile: options.tlsCertFile,
    tlsPrivateKeyFile: options.tlsPrivateKeyFile,
    clientCAFile: options.clientCAFile,
    log,
  });
}

/**
 * Writes the admin kubeconfig for `url` and returns its path; undefined when the
 * client CA is the user's own (without its key no admin certificate can be issued).
 */
export async function writeAdminKubeconfig(options: ServerRunOptions, pki: ServingPKI, url: string, log: (msg: string) => void): Promise<string | undefined> {
  if (!pki.clientCA.keyPem) return undefined;
  const admin = await ensureClientCertificate({
    certDir: options.certDir,
    ca: { certPem: pki.clientCA.certPem, keyPem: pki.clientCA.keyPem },
    name: 'admin',
    user: 'admin',
    groups: ['system:masters'],
    log,
  });
  const file = path.resolve(options.dataDir, 'admin.kubeconfig');
  await writeKubeconfig(file, { server: url, caPem: pki.ca.certPem, clientCertPem: admin.certPem, clientKeyPem: admin.keyPem });
  return file;
}
