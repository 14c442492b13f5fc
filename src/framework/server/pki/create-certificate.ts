import { generateKeyPair, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import type * as Forge from 'node-forge';

/** A PEM certificate and its PEM private key. */
export interface CertKeyPair {
  certPem: string;
  keyPem: string;
}

/** Validity periods as kubeadm chooses them: CAs ten years, leaf certificates one year. */
export const CA_VALIDITY_DAYS = 3650;
export const LEAF_VALIDITY_DAYS = 365;

/** Certificates start a little in the past so that a client whose clock lags still accepts them. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What a new certificate is for and whom it names. */
export interface CertificateProfile {
  /** `ca`: a self-signed CA; `server` / `client`: a leaf for TLS server or client authentication. */
  usage: 'ca' | 'server' | 'client';
  /** Subject CN (for client certificates the user name). */
  commonName: string;
  /** Subject O entries (for client certificates the groups). */
  organizations?: string[];
  /** Subject alternative names: DNS names and IP addresses, told apart by their form. */
  hosts?: string[];
  validDays: number;
  /** Start of validity; defaults to now minus a few minutes of clock skew. */
  notBefore?: Date;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * Generates an RSA 2048 key (kubeadm's default, and what every Go and OpenSSL client
 * accepts) and a certificate for it, signed by `issuer` or, for a CA, by itself.
 * node:crypto makes the key off the event loop; node-forge builds and signs the
 * X.509 structure. node-forge is loaded here only, so that a start with all files
 * present does not pay for it.
 */
export async function createCertificate(profile: CertificateProfile, issuer?: CertKeyPair): Promise<CertKeyPair> {
  if ((profile.usage === 'ca') !== (issuer === undefined)) {
    throw new Error(`a ${profile.usage} certificate must be ${profile.usage === 'ca' ? 'self-signed' : 'signed by an issuer'}`);
  }
  const [forge, keys] = await Promise.all([
    import('node-forge'),
    generateKeyPairAsync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }),
  ]);
  const { pki } = forge;
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(keys.publicKey);
  cert.serialNumber = randomSerialNumber();
  cert.validity.notBefore = profile.notBefore ?? new Date(Date.now() - CLOCK_SKEW_MS);
  cert.validity.notAfter = new Date(cert.validity.notBefore.getTime() + profile.validDays * DAY_MS);
  cert.setSubject([
    { shortName: 'CN', value: profile.commonName },
    ...(profile.organizations ?? []).map((value) => ({ shortName: 'O', value })),
  ]);

  const issuerCert = issuer ? pki.certificateFromPem(issuer.certPem) : cert;
  cert.setIssuer(issuerCert.subject.attributes);
  cert.setExtensions([
    ...usageExtensions(profile),
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  const signingKey = pki.privateKeyFromPem(issuer ? issuer.keyPem : keys.privateKey) as Forge.pki.rsa.PrivateKey;
  cert.sign(signingKey, forge.md.sha256.create());

  return { certPem: toUnixLineEndings(pki.certificateToPem(cert)), keyPem: keys.privateKey };
}

function usageExtensions(profile: CertificateProfile): object[] {
  switch (profile.usage) {
    case 'ca':
      return [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
      ];
    case 'server':
      return [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: (profile.hosts ?? []).map(subjectAltName) },
      ];
    case 'client':
      return [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ];
  }
}

/** GeneralName type 7 is an IP address, type 2 a DNS name (RFC 5280). */
function subjectAltName(host: string): { type: number; value?: string; ip?: string } {
  return isIP(host) ? { type: 7, ip: host } : { type: 2, value: host };
}

/**
 * 128 random bits as a positive DER integer: the top bit clear (Go rejects negative
 * serial numbers) and the first byte non-zero (a leading zero byte is not minimal DER).
 */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) || 0x01;
  return bytes.toString('hex');
}

function toUnixLineEndings(pem: string): string {
  return pem.replace(/\r\n/g, '\n');
}
