export { CertKeyPair, CA_VALIDITY_DAYS, LEAF_VALIDITY_DAYS } from './create-certificate';
export {
  CertificateAuthority,
  DEFAULT_SERVING_HOSTS,
  ensureServingCertificates,
  ServingCertificateOptions,
  ServingPKI,
} from './serving-certificates';
export { ClientCertificateOptions, ensureClientCertificate } from './client-certificate';
export { KubeconfigOptions, writeKubeconfig } from './kubeconfig';
export { ensureFrontProxyCertificates, FRONT_PROXY_CLIENT_NAME, FrontProxyPKI } from './front-proxy';
