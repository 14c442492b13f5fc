import path from 'node:path';
import { CertKeyPair } from './create-certificate';
import { CertificateRequirements, reasonToReplace } from './check-certificate';
import { PRIVATE_FILE_MODE, PUBLIC_FILE_MODE, readOptionalFile, writeFileAtomic } from './files';

/** Where a certificate and its key live: `<dir>/<baseName>.crt` and `<dir>/<baseName>.key`. */
export interface PairLocation {
  dir: string;
  baseName: string;
}

export function pairFiles(location: PairLocation): { certFile: string; keyFile: string } {
  return {
    certFile: path.join(location.dir, `${location.baseName}.crt`),
    keyFile: path.join(location.dir, `${location.baseName}.key`),
  };
}

/**
 * Returns the stored pair when it meets `requirements`; otherwise calls `create`,
 * stores the result (key 0600, certificate 0644), logs why, and returns it.
 */
export async function ensureStoredPair(
  location: PairLocation,
  requirements: CertificateRequirements,
  create: () => Promise<CertKeyPair>,
  log: (msg: string) => void,
): Promise<CertKeyPair> {
  const { certFile, keyFile } = pairFiles(location);
  const [certPem, keyPem] = await Promise.all([readOptionalFile(certFile), readOptionalFile(keyFile)]);
  const reason = reasonToReplace({ certPem, keyPem }, requirements);
  if (reason === undefined) return { certPem: certPem!, keyPem: keyPem! };

  const created = await create();
  await writeFileAtomic(keyFile, created.keyPem, PRIVATE_FILE_MODE);
  await writeFileAtomic(certFile, created.certPem, PUBLIC_FILE_MODE);
  log(`${certFile}: ${reason}; generated a new certificate and key`);
  return created;
}
