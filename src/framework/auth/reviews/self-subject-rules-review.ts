/**
 * Answers SelfSubjectRulesReview (what `kubectl auth can-i --list` asks): the
 * rules the requesting user holds in a namespace, as the server's authorizers
 * list them, with `incomplete` when one of them cannot list what it allows.
 */
import { newBadRequest } from '../../api/status';
import type { UserInfo } from '../../registry/context';
import { resolveRules, type Authorizer, type NonResourceRuleInfo, type ResourceRuleInfo } from '../authorizer';
import type { NonResourceRule, ResourceRule, SelfSubjectRulesReviewSpec, SubjectRulesReviewStatus } from './types';

/** Several errors as one message, each once, as k8s.io/apimachinery's aggregate error words them. */
export function aggregateErrors(errors: readonly string[]): string | undefined {
  const distinct = [...new Set(errors)];
  if (distinct.length === 0) return undefined;
  return distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
}

// Empty lists are left out, as kube's omitempty leaves them out.
const nonEmpty = (list: string[]) => (list.length > 0 ? list : undefined);

function resourceRule(rule: ResourceRuleInfo): ResourceRule {
  return { verbs: rule.verbs, apiGroups: nonEmpty(rule.apiGroups), resources: nonEmpty(rule.resources), resourceNames: nonEmpty(rule.resourceNames) };
}

function nonResourceRule(rule: NonResourceRuleInfo): NonResourceRule {
  return { verbs: rule.verbs, nonResourceURLs: nonEmpty(rule.nonResourceURLs) };
}

export async function reviewRules(authorizer: Authorizer, user: UserInfo, spec: SelfSubjectRulesReviewSpec | undefined): Promise<SubjectRulesReviewStatus> {
  const namespace = spec?.namespace;
  if (!namespace) throw newBadRequest('no namespace on request');
  const rules = await resolveRules(authorizer, user, namespace);
  return {
    resourceRules: rules.resourceRules.map(resourceRule),
    nonResourceRules: rules.nonResourceRules.map(nonResourceRule),
    incomplete: rules.incomplete,
    evaluationError: aggregateErrors(rules.errors),
  };
}
