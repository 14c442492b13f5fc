import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/** What a stored certificate must satisfy to be used again. */
export interface CertificateRequirements {
  /** Must be a CA certificate. */
  ca?: boolean;
  /** Must be signed by this CA. */
  issuer?: X509Certificate;
  /** Names and addresses the certificate must be valid for. */
  hosts?: string[];
  /** Exact subject CN and O entries (in any order). */
  subject?: { commonName: string; organizations: string[] };
}

/**
 * Why a stored certificate and key cannot be used, or undefined when they can.
 * Checks with node:crypto only (no X.509 library), which keeps a start with
 * valid files fast. The reason is worded to follow "<file>: ".
 */
export function reasonToReplace(
  stored: { certPem?: string; keyPem?: string },
  wanted: CertificateRequirements,
): string | undefined {
  if (stored.certPem === undefined && stored.keyPem === undefined) return 'not found';
  if (stored.certPem === undefined) return 'the certificate is missing';
  if (stored.keyPem === undefined) return 'the private key is missing';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(stored.certPem);
    if (!cert.checkPrivateKey(createPrivateKey(stored.keyPem))) return 'the private key does not belong to the certificate';
  } catch (err) {
    return `cannot be read (${(err as Error).message})`;
  }
  const now = new Date();
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (now < notBefore) return `not valid before ${notBefore.toISOString()}`;
  if (now > notAfter) return `expired on ${notAfter.toISOString()}`;
  if (wanted.ca && !cert.ca) return 'not a CA certificate';
  if (wanted.issuer && !(cert.checkIssued(wanted.issuer) && cert.verify(wanted.issuer.publicKey))) {
    return `not signed by the CA "${wanted.issuer.subject}"`;
  }
  const uncovered = (wanted.hosts ?? []).find((host) => !coversHost(cert, host));
  if (uncovered !== undefined) return `not valid for host ${uncovered}`;
  if (wanted.subject && !sameSubject(cert, wanted.subject)) {
    const wantedSubject = [`CN=${wanted.subject.commonName}`, ...wanted.subject.organizations.map((o) => `O=${o}`)];
    return `issued to "${cert.subject.replace(/\n/g, ', ')}", not to "${wantedSubject.join(', ')}"`;
  }
  return undefined;
}

function coversHost(cert: X509Certificate, host: string): boolean {
  // Only subject alternative names count: Go has ignored the CN for host names since 1.15.
  return isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host, { subject: 'never' }) !== undefined;
}

function sameSubject(cert: X509Certificate, wanted: { commonName: string; organizations: string[] }): boolean {
  const entries = cert.subject.split('\n').map((line) => {
    const at = line.indexOf('=');
    return { name: line.slice(0, at), value: unquote(line.slice(at + 1)) };
  });
  const commonNames = entries.filter((e) => e.name === 'CN').map((e) => e.value);
  const organizations = entries.filter((e) => e.name === 'O').map((e) => e.value).sort();
  return (
    commonNames.length === 1 &&
    commonNames[0] === wanted.commonName &&
    JSON.stringify(organizations) === JSON.stringify([...wanted.organizations].sort())
  );
}

/** node:crypto prints a value holding special characters as a JSON string. */
function unquote(value: string): string {
  return value.startsWith('"') ? (JSON.parse(value) as string) : value;
}
