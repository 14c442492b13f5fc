/**
 * What a PolicyRule allows, and whether one set of rules covers another (the
 * escalation check: nobody grants what they do not hold), as RBAC defines them.
 */
import type { AuthorizationAttributes } from '../authorizer';

/** A rule as stored (plain JSON). */
export interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const has = (list: string[] | undefined, value: string) => (list ?? []).some((item) => item === '*' || item === value);

// A resource entry is `pods`, `pods/log`, `*`, or a subresource of every resource such as `*/scale`.
function resourceMatches(rule: Rule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`),
  );
}

function nonResourceURLMatches(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === path) return true;
  return pattern.endsWith('*') && path.startsWith(pattern.slice(0, -1));
}

export function ruleAllows(rule: Rule, attrs: AuthorizationAttributes): boolean {
  if (!has(rule.verbs, attrs.verb)) return false;
  if (!attrs.isResourceRequest) return (rule.nonResourceURLs ?? []).some((u) => nonResourceURLMatches(u, attrs.path));
  if (!has(rule.apiGroups, attrs.apiGroup) || !resourceMatches(rule, attrs.resource, attrs.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(attrs.name);
}

/** One verb on one resource (and name) of one group, or on one path. */
interface AtomicRule {
  verb: string;
  apiGroup?: string;
  resource?: string;
  resourceName?: string;
  nonResourceURL?: string;
}

/** Breaks rules into single permissions, kept with `*` where they said `*`. */
function atomize(rule: Rule): AtomicRule[] {
  const out: AtomicRule[] = [];
  for (const verb of rule.verbs ?? []) {
    for (const nonResourceURL of rule.nonResourceURLs ?? []) out.push({ verb, nonResourceURL });
    for (const apiGroup of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ verb, apiGroup, resource });
        for (const resourceName of names) out.push({ verb, apiGroup, resource, resourceName });
      }
    }
  }
  return out;
}

function ownerCovers(owner: Rule, wanted: AtomicRule): boolean {
  if (!has(owner.verbs, wanted.verb)) return false;
  if (wanted.nonResourceURL !== undefined) {
    return (owner.nonResourceURLs ?? []).some((u) => u === '*' || u === wanted.nonResourceURL || (u.endsWith('*') && wanted.nonResourceURL!.startsWith(u.slice(0, -1))));
  }
  if (!has(owner.apiGroups, wanted.apiGroup!)) return false;
  const resource = wanted.resource!;
  const resourceCovered = (owner.resources ?? []).some((r) => {
    if (r === '*' || r === resource) return true;
    const slash = resource.indexOf('/');
    if (slash < 0) return false;
    return r === `*/${resource.slice(slash + 1)}`;
  });
  if (!resourceCovered) return false;
  const names = owner.resourceNames ?? [];
  return names.length === 0 || (wanted.resourceName !== undefined && names.includes(wanted.resourceName));
}

/** The parts of `requested` that no rule of `owner` grants (empty: fully covered). */
export function uncoveredRules(owner: readonly Rule[], requested: readonly Rule[]): AtomicRule[] {
  return requested.flatMap(atomize).filter((wanted) => !owner.some((rule) => ownerCovers(rule, wanted)));
}

/** `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`, as kube prints a missing permission. */
export function describeAtomicRule(rule: AtomicRule): string {
  if (rule.nonResourceURL !== undefined) return `{NonResourceURLs:[${JSON.stringify(rule.nonResourceURL)}], Verbs:[${JSON.stringify(rule.verb)}]}`;
  const names = rule.resourceName !== undefined ? `, ResourceNames:[${JSON.stringify(rule.resourceName)}]` : '';
  return `{APIGroups:[${JSON.stringify(rule.apiGroup)}], Resources:[${JSON.stringify(rule.resource)}]${names}, Verbs:[${JSON.stringify(rule.verb)}]}`;
}
