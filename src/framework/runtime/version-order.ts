/**
 * Kubernetes version ordering, used when a group sets no explicit priority:
 * GA before beta before alpha, higher major then higher minor first, and
 * versions that are not of the form vN[(alpha|beta)M] last, alphabetically.
 */
const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const STABILITY = { '': 3, beta: 2, alpha: 1 } as const;

export function compareKubeVersions(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const stability = STABILITY[(mb[2] ?? '') as keyof typeof STABILITY] - STABILITY[(ma[2] ?? '') as keyof typeof STABILITY];
  if (stability !== 0) return stability;
  const major = Number(mb[1]) - Number(ma[1]);
  if (major !== 0) return major;
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

/** `versions` ordered: the explicit priority first (those present), the rest by Kubernetes order. */
export function orderVersions(versions: Iterable<string>, priority: readonly string[] = []): string[] {
  const present = new Set(versions);
  const listed = priority.filter((v) => present.has(v));
  const rest = [...present].filter((v) => !listed.includes(v)).sort(compareKubeVersions);
  return [...listed, ...rest];
}
