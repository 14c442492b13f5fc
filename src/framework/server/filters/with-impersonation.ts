/**
 * Impersonation (`kubectl --as`, `--as-group`, `--as-uid`): the Impersonate-*
 * headers make the request run as another user, if the authenticated user may
 * `impersonate` that user, each group, the uid and each extra value.
 */
import type { Middleware } from 'koa';
import type { IncomingMessage } from 'node:http';
import { newBadRequest } from '../../api/status';
import { ANONYMOUS_USER, AUTHENTICATED_GROUP } from '../../auth/authenticator';
import { resourceAttributes, type AuthorizationAttributes, type Authorizer } from '../../auth/authorizer';
import { newForbiddenRequest } from '../../auth/forbidden';
import type { ApiState } from '../../endpoints/scope';
import type { UserInfo } from '../../registry/context';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

interface Impersonation {
  username?: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

function requested(req: IncomingMessage): Impersonation | undefined {
  const found: Impersonation = { groups: [], extra: {} };
  let any = false;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    const value = req.rawHeaders[i + 1];
    if (name === 'impersonate-user') found.username = value;
    else if (name === 'impersonate-uid') found.uid = value;
    else if (name === 'impersonate-group') found.groups.push(value);
    else if (name.startsWith('impersonate-extra-')) {
      let key = name.slice('impersonate-extra-'.length);
      try {
        key = decodeURIComponent(key);
      } catch {
        // Not percent-encoded: the key as it came.
      }
      (found.extra[key] ??= []).push(value);
    } else continue;
    any = true;
  }
  return any ? found : undefined;
}

/** What the user must be allowed to impersonate for this request, one check each. */
function checks(user: UserInfo, wanted: Impersonation): AuthorizationAttributes[] {
  const out: AuthorizationAttributes[] = [];
  const username = wanted.username as string;
  if (username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace, name] = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    out.push(resourceAttributes(user, 'impersonate', { apiGroup: '', resource: 'serviceaccounts', namespace, name }));
  } else {
    out.push(resourceAttributes(user, 'impersonate', { apiGroup: '', resource: 'users', name: username }));
  }
  for (const group of wanted.groups) out.push(resourceAttributes(user, 'impersonate', { apiGroup: '', resource: 'groups', name: group }));
  if (wanted.uid !== undefined) out.push(resourceAttributes(user, 'impersonate', { apiGroup: 'authentication.k8s.io', resource: 'uids', name: wanted.uid }));
  for (const [key, values] of Object.entries(wanted.extra)) {
    for (const value of values) out.push(resourceAttributes(user, 'impersonate', { apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: value }));
  }
  return out;
}

/** The user the request runs as: the groups asked for, plus the ones every such user has. */
function impersonatedUser(wanted: Impersonation): UserInfo {
  const username = wanted.username as string;
  const groups = [...wanted.groups];
  if (username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const namespace = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':')[0];
    groups.push('system:serviceaccounts', `system:serviceaccounts:${namespace}`);
  }
  if (username !== ANONYMOUS_USER.username && !groups.includes(AUTHENTICATED_GROUP)) groups.push(AUTHENTICATED_GROUP);
  const extra = Object.keys(wanted.extra).length > 0 ? wanted.extra : undefined;
  return { username, uid: wanted.uid, groups: [...new Set(groups)], extra };
}

export function withImpersonation(authorizer: Authorizer): Middleware<ApiState> {
  return (ctx, next) => {
    const wanted = requested(ctx.req);
    const user = ctx.state.user;
    // Most requests ask for no one else: they pass straight on.
    if (!wanted || !user) return next();
    return impersonate(authorizer, user, wanted).then((impersonated) => {
      ctx.state.user = impersonated;
      return next();
    });
  };
}

/** The user to run as, once the authorizer allows every part of the impersonation. */
async function impersonate(authorizer: Authorizer, user: UserInfo, wanted: Impersonation): Promise<UserInfo> {
  if (wanted.username === undefined) throw newBadRequest('impersonating groups, a uid or extra information requires impersonating a user (Impersonate-User)');
  for (const attrs of checks(user, wanted)) {
    const result = await authorizer.authorize(attrs);
    if (result.decision !== 'allow') throw newForbiddenRequest(attrs, result.reason);
  }
  return impersonatedUser(wanted);
}
