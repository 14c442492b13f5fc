import { X509Certificate } from 'node:crypto';
import { CertKeyPair, createCertificate, LEAF_VALIDITY_DAYS } from './create-certificate';
import { ensureStoredPair } from './stored-pair';

export interface ClientCertificateOptions {
  /** Folder of the files `<name>.crt` and `<name>.key`. */
  certDir: string;
  /** The CA that issues the certificate; the server must trust it as its client CA. */
  ca: CertKeyPair;
  /** Base name of the files, e.g. `admin`. */
  name: string;
  /** User name, carried as the subject CN. */
  user: string;
  /** Groups, carried as subject O entries, e.g. `['system:masters']`. */
  groups: string[];
  /** Told when the certificate is generated and why. */
  log?: (msg: string) => void;
}

/**
 * A client certificate for `user` in `groups`, signed by `ca`: the stored one when
 * it is still signed by that CA, valid and issued to the same user and groups;
 * otherwise a new one (valid one year), stored as `<name>.crt` / `<name>.key`.
 */
export async function ensureClientCertificate(opts: ClientCertificateOptions): Promise<CertKeyPair> {
  return ensureStoredPair(
    { dir: opts.certDir, baseName: opts.name },
    { issuer: new X509Certificate(opts.ca.certPem), subject: { commonName: opts.user, organizations: opts.groups } },
    () =>
      createCertificate(
        { usage: 'client', commonName: opts.user, organizations: opts.groups, validDays: LEAF_VALIDITY_DAYS },
        opts.ca,
      ),
    opts.log ?? (() => undefined),
  );
}
