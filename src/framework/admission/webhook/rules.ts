/** Whether a write falls under a webhook's rules and object selector. */
import { labelSelectorFromObject } from '../../api/labels';
import type { AdmissionAttributes } from '../interfaces';
import type { RuleWithOperations, Webhook } from './configuration';

const anyOf = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);

/**
 * A pattern is `resource[/subresource]`, either part possibly `*`: a bare `*`
 * matches every resource but no subresource, a subresource `*` also the resource itself.
 */
function resourceMatches(patterns: readonly string[], resource: string, subresource: string): boolean {
  return patterns.some((pattern) => {
    const [res, sub = ''] = pattern.split('/');
    if (res !== '*' && res !== resource) return false;
    return sub === '*' || sub === subresource;
  });
}

export function ruleMatches(rule: RuleWithOperations, attrs: AdmissionAttributes, version: string, namespaced: boolean): boolean {
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && namespaced) return false;
  if (scope === 'Namespaced' && !namespaced) return false;
  return (
    anyOf(rule.operations, attrs.operation) &&
    anyOf(rule.apiGroups, attrs.resource.group) &&
    anyOf(rule.apiVersions, version) &&
    resourceMatches(rule.resources, attrs.resource.resource, attrs.subresource)
  );
}

function labelsOf(obj: object | undefined): Record<string, string> | undefined {
  return (obj as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels;
}

/**
 * The object selector matches the new object or the old one, as in kube; a write
 * through /scale is matched on its Scale, which carries no labels.
 */
export function objectSelectorMatches(hook: Webhook, attrs: AdmissionAttributes): boolean {
  if (!hook.objectSelector) return true;
  const selector = labelSelectorFromObject(hook.objectSelector);
  if (selector.empty) return true;
  if (attrs.subresource === 'scale') return selector.matches({});
  return [attrs.object, attrs.oldObject].some((obj) => obj !== undefined && selector.matches(labelsOf(obj) ?? {}));
}
