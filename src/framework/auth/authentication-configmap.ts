/**
 * The core cluster's `kube-system/extension-apiserver-authentication` ConfigMap,
 * which kube-apiserver keeps filled with what an extension server needs to
 * authenticate the requests it is sent: the CA of users' client certificates and
 * the front proxy's request-header settings. List values are JSON arrays.
 */
import { parseCertificateBundle } from './client-certificate';

export const AUTHENTICATION_CONFIGMAP = { namespace: 'kube-system', name: 'extension-apiserver-authentication' } as const;

/** The Role in kube-system that lets an extension server read (get, list, watch) the ConfigMap. */
export const AUTHENTICATION_READER_ROLE = 'extension-apiserver-authentication-reader';

/** The front proxy as the core cluster describes it; the same meanings as the `--requestheader-*` flags. */
export interface RequestHeaderSettings {
  clientCAPem: string;
  allowedNames: string[];
  usernameHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
  uidHeaders: string[];
}

export interface ClusterAuthenticationSettings {
  /** Signs users' client certificates (`client-ca-file`); absent when the cluster publishes none. */
  clientCAPem?: string;
  /** Absent when the cluster publishes no `requestheader-client-ca-file`: no front proxy is trusted. */
  requestHeader?: RequestHeaderSettings;
}

/** A JSON array of strings; a missing or empty value is the empty list (as kube reads it). */
function stringList(data: Record<string, string>, key: string): string[] {
  const raw = data[key];
  if (raw === undefined || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${key}: not a JSON array: ${JSON.stringify(raw)}`);
  }
  if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'string')) throw new Error(`${key}: not a JSON array of strings: ${JSON.stringify(raw)}`);
  return parsed as string[];
}

/** A PEM bundle, checked to hold certificates; absent when the key is missing or blank. */
function caBundle(data: Record<string, string>, key: string): string | undefined {
  const pem = data[key];
  if (pem === undefined || pem.trim() === '') return undefined;
  parseCertificateBundle(pem, key);
  return pem;
}

/** The settings in the ConfigMap's data; throws, naming the key, when a value is malformed. */
export function parseAuthenticationConfigMap(data: Record<string, string> | undefined): ClusterAuthenticationSettings {
  const values = data ?? {};
  const requestHeaderCA = caBundle(values, 'requestheader-client-ca-file');
  return {
    clientCAPem: caBundle(values, 'client-ca-file'),
    requestHeader: requestHeaderCA === undefined ? undefined : {
      clientCAPem: requestHeaderCA,
      allowedNames: stringList(values, 'requestheader-allowed-names'),
      usernameHeaders: stringList(values, 'requestheader-username-headers'),
      groupHeaders: stringList(values, 'requestheader-group-headers'),
      extraHeaderPrefixes: stringList(values, 'requestheader-extra-headers-prefix'),
      uidHeaders: stringList(values, 'requestheader-uid-headers'),
    },
  };
}
