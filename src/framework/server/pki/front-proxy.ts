import { CA_VALIDITY_DAYS, CertKeyPair, createCertificate } from './create-certificate';
import { ensureClientCertificate } from './client-certificate';
import { ensureStoredPair, pairFiles } from './stored-pair';

/** The common name of the front-proxy client certificate (what extension servers list in --requestheader-allowed-names). */
export const FRONT_PROXY_CLIENT_NAME = 'front-proxy-client';

export interface FrontProxyPKI {
  /** Signs the client certificate; extension servers trust it as their request-header CA. */
  ca: CertKeyPair;
  /** What the aggregator presents to backends. */
  client: CertKeyPair;
  /** `<certDir>/front-proxy-ca.crt`, for `--requestheader-client-ca-file` and the auth ConfigMap. */
  caFile: string;
}

/**
 * The aggregator's front-proxy credentials, kept apart from the client CA as
 * kubeadm does (`front-proxy-ca`, `front-proxy-client`): stored files are used
 * while they fit, missing or unfit ones are generated.
 */
export async function ensureFrontProxyCertificates(certDir: string, log: (msg: string) => void = () => undefined): Promise<FrontProxyPKI> {
  const caLocation = { dir: certDir, baseName: 'front-proxy-ca' };
  const ca = await ensureStoredPair(
    caLocation,
    { ca: true },
    () => createCertificate({ usage: 'ca', commonName: 'front-proxy-ca', validDays: CA_VALIDITY_DAYS }),
    log,
  );
  const client = await ensureClientCertificate({ certDir, ca, name: FRONT_PROXY_CLIENT_NAME, user: FRONT_PROXY_CLIENT_NAME, groups: [], log });
  return { ca, client, caFile: pairFiles(caLocation).certFile };
}
