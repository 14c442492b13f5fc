/** The 403 Status of a refused request, in kube-apiserver's words. */
import { newForbidden, StatusError } from '../api/status';
import type { AuthorizationAttributes } from './authorizer';

/** `User "u" cannot <verb> resource "<res>[/<sub>]" in API group "<g>" in the namespace "<ns>"`, or `… path "/x"`. */
export function forbiddenReason(attrs: AuthorizationAttributes): string {
  const who = `User "${attrs.user.username}"`;
  if (!attrs.isResourceRequest) return `${who} cannot ${attrs.verb} path "${attrs.path}"`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `${who} cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${where}`;
}

/** 403 Forbidden naming what was refused, with the authorizer's reason appended when it gave one. */
export function newForbiddenRequest(attrs: AuthorizationAttributes, reason?: string): StatusError {
  const why = forbiddenReason(attrs) + (reason ? `: ${reason}` : '');
  if (!attrs.isResourceRequest) return new StatusError({ code: 403, reason: 'Forbidden', message: `forbidden: ${why}` });
  return newForbidden({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name, why);
}
