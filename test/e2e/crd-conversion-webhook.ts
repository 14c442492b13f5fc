/**
 * The conversion webhook of the Certificate test CRD: the framework's own
 * ConversionWebhookServer, answering from a Scheme in which Certificates are
 * typed classes. v1 is the hub's shape; v1alpha2 calls spec.dnsNames `hosts`.
 * A certificate whose secretName is `unconvertible` cannot be converted to v1alpha2.
 */
import type { AddressInfo } from 'node:net';
import { ConversionWebhookServer, ensureServingCertificates, Field, Hub, KubeObject, Resource, Scheme } from '../../src/index';

const GROUP = 'certs.example.io';
export const UNCONVERTIBLE_SECRET = 'unconvertible';

class IssuerRef {
  @Field(() => String, { required: true })
  name!: string;

  @Field(() => String)
  kind?: string;

  @Field(() => String)
  group?: string;
}

class PrivateKey {
  @Field(() => String)
  algorithm?: string;

  @Field(() => Number, { type: 'integer' })
  size?: number;

  @Field(() => String)
  rotationPolicy?: string;
}

/** What every version's spec has. */
class CommonSpec {
  @Field(() => String)
  commonName?: string;

  @Field(() => String)
  secretName?: string;

  @Field(() => String)
  duration?: string;

  @Field(undefined, { intOrString: true })
  renewBefore?: string | number;

  @Field(() => IssuerRef)
  issuerRef?: IssuerRef;

  @Field(() => PrivateKey)
  privateKey?: PrivateKey;

  @Field(() => String, { array: true })
  usages?: string[];
}

class CertificateSpec extends CommonSpec {
  @Field(() => String, { array: true })
  dnsNames?: string[];
}

class CertificateSpecV1alpha2 extends CommonSpec {
  @Field(() => String, { array: true })
  hosts?: string[];
}

class CertificateStatus {
  @Field(undefined, { anyValue: true })
  conditions?: unknown;

  @Field(() => String)
  notAfter?: string;
}

@Hub({ group: GROUP, kind: 'Certificate' })
class Certificate extends KubeObject {
  @Field(() => CertificateSpec)
  spec?: CertificateSpec;

  @Field(() => CertificateStatus)
  status?: CertificateStatus;
}

@Resource({ group: GROUP, version: 'v1', kind: 'Certificate', plural: 'certificates', scope: 'Namespaced' })
class CertificateV1 extends Certificate {}

@Resource({ group: GROUP, version: 'v1alpha2', kind: 'Certificate', plural: 'certificates', scope: 'Namespaced' })
class CertificateV1alpha2 extends KubeObject {
  @Field(() => CertificateSpecV1alpha2)
  spec?: CertificateSpecV1alpha2;

  @Field(() => CertificateStatus)
  status?: CertificateStatus;
}

function certificateScheme(): Scheme {
  return new Scheme()
    .addKnownTypes(Certificate, CertificateV1, CertificateV1alpha2)
    .addConversion(CertificateSpecV1alpha2, CertificateSpec, (src, dst) => {
      dst.dnsNames = src.hosts;
    })
    .addConversion(CertificateSpec, CertificateSpecV1alpha2, (src, dst) => {
      if (src.secretName === UNCONVERTIBLE_SECRET) throw new Error(`secret ${UNCONVERTIBLE_SECRET} cannot be expressed in v1alpha2`);
      dst.hosts = src.dnsNames;
    });
}

export interface ConversionWebhook {
  url: string;
  /** The CA of the webhook's certificate, base64 as a CRD's caBundle. */
  caBundle: string;
  stop(): Promise<void>;
}

/** Starts the webhook on a free loopback port with a certificate made in certDir. */
export async function startConversionWebhook(certDir: string): Promise<ConversionWebhook> {
  const pki = await ensureServingCertificates({ certDir, hosts: ['127.0.0.1'] });
  const server = new ConversionWebhookServer({
    scheme: certificateScheme(),
    bindAddress: '127.0.0.1',
    port: 0,
    certPem: pki.servingCert.certPem,
    keyPem: pki.servingCert.keyPem,
  });
  const address: AddressInfo = await server.start();
  return {
    url: `https://127.0.0.1:${address.port}/convert`,
    caBundle: Buffer.from(pki.ca.certPem).toString('base64'),
    stop: () => server.stop(),
  };
}
