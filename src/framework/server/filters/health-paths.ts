/** Health probes stay reachable without credentials or permissions, as in kube-apiserver. */
const HEALTH_PREFIXES = ['/healthz', '/livez', '/readyz'];

export function isHealthPath(path: string): boolean {
  return HEALTH_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}
