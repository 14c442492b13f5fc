/**
 * Client certificates on a TLS connection, verified against one CA bundle. The
 * TLS server accepts any certificate (several CA bundles may apply: client CA,
 * front-proxy CA), so each authenticator verifies the chain against its own.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DetailedPeerCertificate, PeerCertificate, TLSSocket } from 'node:tls';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const CLIENT_AUTH_USAGE = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
/** Intermediates followed at most, as a guard against loops in what a client sends. */
const MAX_CHAIN_LENGTH = 8;

/** The certificates of a PEM bundle. */
export function parseCertificateBundle(pem: string, source = 'CA bundle'): X509Certificate[] {
  const certificates = (pem.match(PEM_CERTIFICATE) ?? []).map((block) => new X509Certificate(block));
  if (certificates.length === 0) throw new Error(`${source}: no PEM certificate found`);
  return certificates;
}

/** A CA bundle that may change while the server runs (a reloaded --client-ca-file). */
export type CABundleSource = () => readonly X509Certificate[];

export function staticCABundle(pem: string, source?: string): CABundleSource {
  const bundle = parseCertificateBundle(pem, source);
  return () => bundle;
}

/**
 * Several bundles as one. It answers the same array for as long as none of them
 * changes, since verifiers remember their verdicts per bundle.
 */
export function unionCABundle(sources: readonly CABundleSource[]): CABundleSource {
  let parts: (readonly X509Certificate[])[] = [];
  let union: readonly X509Certificate[] = [];
  return () => {
    const current = sources.map((source) => source());
    if (current.length !== parts.length || current.some((part, i) => part !== parts[i])) {
      parts = current;
      union = current.flat();
    }
    return union;
  };
}

/** The leaf certificate the client presented, then the intermediates it sent along; empty without one. */
export function peerCertificateChain(req: IncomingMessage): X509Certificate[] {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return [];
  const chain: X509Certificate[] = [];
  let cert: DetailedPeerCertificate | PeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert && cert.raw && chain.length < MAX_CHAIN_LENGTH) {
    chain.push(new X509Certificate(cert.raw));
    const issuer: DetailedPeerCertificate | undefined = (cert as DetailedPeerCertificate).issuerCertificate;
    if (!issuer || issuer === cert || issuer.fingerprint256 === cert.fingerprint256) break;
    cert = issuer;
  }
  return chain;
}

function withinValidity(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/**
 * Why the chain does not verify against the bundle for client authentication,
 * or undefined when it does: every certificate within its validity, each signed
 * by the next (intermediates must be CAs), ending at a certificate the bundle
 * holds, and the leaf usable for client authentication.
 */
export function verifyClientChain(chain: readonly X509Certificate[], roots: readonly X509Certificate[], now = new Date()): string | undefined {
  const [leaf] = chain;
  if (!leaf) return 'no client certificate';
  const usages = leaf.keyUsage;
  if (usages && usages.length > 0 && !usages.includes(CLIENT_AUTH_USAGE) && !usages.includes(ANY_EXTENDED_KEY_USAGE)) {
    return 'x509: certificate specifies an incompatible key usage';
  }
  let current = leaf;
  for (let depth = 1; ; depth++) {
    if (!withinValidity(current, now)) return `x509: certificate has expired or is not yet valid: current time ${now.toISOString()} is outside ${current.validFrom} – ${current.validTo}`;
    if (roots.some((root) => signedBy(current, root) && withinValidity(root, now))) return undefined;
    const next = chain[depth];
    if (!next || depth >= MAX_CHAIN_LENGTH || !next.ca || !signedBy(current, next)) return 'x509: certificate signed by unknown authority';
    current = next;
  }
}

/** The subject CN and O entries of a certificate. */
export function subjectNames(cert: X509Certificate): { commonName?: string; organizations: string[] } {
  const organizations: string[] = [];
  let commonName: string | undefined;
  // X509Certificate.subject is one `key=value` per line; a value with special characters is a JSON string.
  for (const line of cert.subject.split('\n')) {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    const raw = line.slice(eq + 1);
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (key === 'CN' && commonName === undefined) commonName = value;
    if (key === 'O') organizations.push(value);
  }
  return { commonName, organizations };
}

/**
 * Verifies the peer chain of a request against a bundle, remembering the verdict
 * per connection (a kept-alive connection carries many requests) for as long as
 * the bundle stays the same.
 */
export class ClientChainVerifier {
  private readonly verdicts = new WeakMap<object, { roots: readonly X509Certificate[]; chain: X509Certificate[]; problem?: string }>();

  constructor(private readonly roots: CABundleSource) {}

  /** The verified chain (leaf first), the reason it failed, or null when the request has no client certificate. */
  verify(req: IncomingMessage): { chain: X509Certificate[]; problem?: string } | null {
    const roots = this.roots();
    const known = this.verdicts.get(req.socket);
    if (known && known.roots === roots) return known;
    const chain = peerCertificateChain(req);
    if (chain.length === 0) return null;
    const verdict = { roots, chain, problem: verifyClientChain(chain, roots) };
    this.verdicts.set(req.socket, verdict);
    return verdict;
  }
}

/** A CA bundle read from a file that may be replaced while the server runs. */
export class DynamicCABundle {
  private certificates: readonly X509Certificate[];

  constructor(
    private currentPem: string,
    private readonly source: string,
  ) {
    this.certificates = parseCertificateBundle(currentPem, source);
  }

  get pem(): string {
    return this.currentPem;
  }

  /** Switches to a new bundle; throws (keeping the old one) when it holds no certificate. */
  update(pem: string): void {
    this.certificates = parseCertificateBundle(pem, this.source);
    this.currentPem = pem;
  }

  /** What verifiers read; sees every later update. */
  readonly bundle: CABundleSource = () => this.certificates;
}
