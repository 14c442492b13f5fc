/** The nginx sample server as an aggregated APIService: its service, identity and APIService object. */
import YAML from 'yaml';

export const NGINX_SERVICE = { namespace: 'nginx-system', name: 'nginx-api' };
/** The service account the server runs as in the core cluster. */
export const NGINX_IDENTITY = `system:serviceaccount:${NGINX_SERVICE.namespace}:${NGINX_SERVICE.name}`;

/** The APIService for nginx.example.com/v1 as YAML, trusting the server's serving CA. */
export function nginxAPIServiceYAML(servingCAPem: string): string {
  return YAML.stringify({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1.nginx.example.com' },
    spec: { group: 'nginx.example.com', version: 'v1', service: { ...NGINX_SERVICE, port: 443 }, caBundle: Buffer.from(servingCAPem).toString('base64'), groupPriorityMinimum: 1000, versionPriority: 15 },
  });
}
