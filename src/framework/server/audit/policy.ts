/**
 * Audit policy (`--audit-policy-file`, audit.k8s.io/v1 Policy): the first rule
 * that matches a request decides its level (None, Metadata, Request,
 * RequestResponse) and which stages are left out.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { AuthorizationAttributes } from '../../auth/authorizer';

export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];
export const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];

export interface GroupResources {
  /** `""` is the core group. */
  group?: string;
  /** `pods`, `pods/log`, `*`, `*` + `/status`; empty: every resource of the group. */
  resources?: string[];
  resourceNames?: string[];
}

export interface AuditPolicyRule {
  level: AuditLevel;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: AuditStage[];
}

export interface AuditPolicy {
  rules: AuditPolicyRule[];
  omitStages?: AuditStage[];
}

/** What a request is audited at. */
export interface AuditDecision {
  level: AuditLevel;
  omitStages: ReadonlySet<AuditStage>;
}

/** Without a policy file every request is logged at Metadata level. */
export const METADATA_POLICY: AuditPolicy = { rules: [{ level: 'Metadata' }] };

function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${where} must be a list of strings`);
  return value as string[];
}

function stages(value: unknown, where: string): AuditStage[] | undefined {
  const list = stringList(value, where);
  for (const stage of list ?? []) {
    if (!(AUDIT_STAGES as readonly string[]).includes(stage)) throw new Error(`${where}: unknown stage ${JSON.stringify(stage)}`);
  }
  return list as AuditStage[] | undefined;
}

/** Parses a policy document (YAML or JSON); errors name the rule. */
export function parseAuditPolicy(text: string, source: string): AuditPolicy {
  const doc = YAML.parse(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${source}: not an audit policy`);
  if (doc.kind !== 'Policy' || (doc.apiVersion !== 'audit.k8s.io/v1' && doc.apiVersion !== 'audit.k8s.io/v1beta1')) {
    throw new Error(`${source}: expected apiVersion audit.k8s.io/v1, kind Policy`);
  }
  if (!Array.isArray(doc.rules) || doc.rules.length === 0) throw new Error(`${source}: the policy has no rules`);
  const rules = (doc.rules as Record<string, unknown>[]).map((raw, i): AuditPolicyRule => {
    const at = `${source}: rules[${i}]`;
    if (!(AUDIT_LEVELS as readonly unknown[]).includes(raw.level)) throw new Error(`${at}.level: must be one of ${AUDIT_LEVELS.join(', ')}`);
    const resources = raw.resources as GroupResources[] | undefined;
    const nonResourceURLs = stringList(raw.nonResourceURLs, `${at}.nonResourceURLs`);
    if (nonResourceURLs && (resources || raw.namespaces)) throw new Error(`${at}: rules cannot apply to both regular resources and non-resource URLs`);
    return {
      level: raw.level as AuditLevel,
      users: stringList(raw.users, `${at}.users`),
      userGroups: stringList(raw.userGroups, `${at}.userGroups`),
      verbs: stringList(raw.verbs, `${at}.verbs`),
      resources,
      namespaces: stringList(raw.namespaces, `${at}.namespaces`),
      nonResourceURLs,
      omitStages: stages(raw.omitStages, `${at}.omitStages`),
    };
  });
  return { rules, omitStages: stages(doc.omitStages, `${source}: omitStages`) };
}

export function readAuditPolicyFile(file: string): AuditPolicy {
  return parseAuditPolicy(readFileSync(file, 'utf8'), file);
}

function resourceMatches(groups: GroupResources[], attrs: AuthorizationAttributes): boolean {
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return groups.some((g) => {
    if ((g.group ?? '') !== attrs.apiGroup && g.group !== '*') return false;
    const resources = g.resources ?? [];
    const resourceOK =
      resources.length === 0 ||
      resources.some((r) => r === '*' || r === combined || (attrs.subresource !== '' && r === `*/${attrs.subresource}`) || r === `${attrs.resource}/*`);
    const names = g.resourceNames ?? [];
    return resourceOK && (names.length === 0 || names.includes(attrs.name));
  });
}

function ruleMatches(rule: AuditPolicyRule, attrs: AuthorizationAttributes): boolean {
  if (rule.users && !rule.users.includes(attrs.user.username)) return false;
  if (rule.userGroups && !rule.userGroups.some((g) => attrs.user.groups.includes(g))) return false;
  if (rule.verbs && !rule.verbs.includes(attrs.verb)) return false;
  if (rule.nonResourceURLs) {
    if (attrs.isResourceRequest) return false;
    return rule.nonResourceURLs.some((u) => u === '*' || u === attrs.path || (u.endsWith('*') && attrs.path.startsWith(u.slice(0, -1))));
  }
  if (rule.resources || rule.namespaces) {
    if (!attrs.isResourceRequest) return false;
    if (rule.namespaces && !rule.namespaces.includes(attrs.namespace)) return false;
    if (rule.resources && !resourceMatches(rule.resources, attrs)) return false;
  }
  return true;
}

/** The level and left-out stages of a request; None when no rule matches. */
export function evaluateAuditPolicy(policy: AuditPolicy, attrs: AuthorizationAttributes): AuditDecision {
  const rule = policy.rules.find((r) => ruleMatches(r, attrs));
  return { level: rule?.level ?? 'None', omitStages: new Set([...(policy.omitStages ?? []), ...(rule?.omitStages ?? [])]) };
}
