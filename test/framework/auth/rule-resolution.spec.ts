import assert from 'node:assert/strict';
import { ABACAuthorizer, parseABACPolicies } from '../../../src/framework/auth/abac';
import { alwaysAllow, alwaysDeny, privilegedGroups, UnionAuthorizer, type Authorizer } from '../../../src/framework/auth/authorizer';
import { aggregateErrors, reviewRules } from '../../../src/framework/auth/reviews/self-subject-rules-review';
import { SubjectAccessReviewAuthorizer } from '../../../src/framework/auth/subject-access-review-authorizer';
import type { UserInfo } from '../../../src/framework/registry/context';

const alice: UserInfo = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const admin: UserInfo = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };

const v1beta1 = (spec: object) => JSON.stringify({ apiVersion: 'abac.authorization.kubernetes.io/v1beta1', kind: 'Policy', spec });

function webhook(): SubjectAccessReviewAuthorizer {
  const unreachable = { post: () => Promise.reject(new Error('not asked')), close: () => undefined };
  return new SubjectAccessReviewAuthorizer({ endpoint: unreachable, authorizedTTLMs: 0, unauthorizedTTLMs: 0 });
}

describe('auth: listing the rules a user holds (SelfSubjectRulesReview)', () => {
  it('ABAC lists the policies of the user in the namespace or in every namespace, read-only ones as get, list, watch', async () => {
    const policies = [
      v1beta1({ user: 'alice', namespace: 'team-a', resource: 'pods', apiGroup: '', readonly: true }),
      v1beta1({ group: 'devs', namespace: '*', resource: 'widgets', apiGroup: 'example.com' }),
      v1beta1({ user: 'alice', namespace: '*', nonResourcePath: '/version', readonly: true }),
      v1beta1({ user: 'bob', namespace: '*', resource: '*', apiGroup: '*' }),
    ].join('\n');
    const abac = new ABACAuthorizer(parseABACPolicies(policies, 'policy.jsonl'));
    assert.deepEqual(await reviewRules(abac, alice, { namespace: 'team-a' }), {
      resourceRules: [
        { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'], resourceNames: undefined },
        { verbs: ['*'], apiGroups: ['example.com'], resources: ['widgets'], resourceNames: undefined },
      ],
      nonResourceRules: [{ verbs: ['get', 'list', 'watch'], nonResourceURLs: ['/version'] }],
      incomplete: false,
      evaluationError: undefined,
    });
    const elsewhere = await reviewRules(abac, alice, { namespace: 'team-b' });
    assert.deepEqual(elsewhere.resourceRules.map((r) => r.resources), [['widgets']]);
  });

  it('a webhook cannot list rules: the answer is incomplete, with the reason kube gives', async () => {
    const union = new UnionAuthorizer([privilegedGroups, new UnionAuthorizer([alwaysDeny, webhook()])]);
    assert.deepEqual(await reviewRules(union, alice, { namespace: 'default' }), {
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: 'webhook authorizer does not support user rule resolution',
    });
  });

  it('an authorizer that cannot list rules makes the answer incomplete, the others still list theirs', async () => {
    const custom: Authorizer = { name: 'TeamPolicy', authorize: () => ({ decision: 'no-opinion' }) };
    const status = await reviewRules(new UnionAuthorizer([custom, alwaysAllow, webhook()]), alice, { namespace: 'default' });
    assert.equal(status.incomplete, true);
    assert.equal(status.evaluationError, '[TeamPolicy authorizer does not support user rule resolution, webhook authorizer does not support user rule resolution]');
    assert.deepEqual(status.resourceRules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: undefined }]);
    assert.deepEqual(status.nonResourceRules, [{ verbs: ['*'], nonResourceURLs: ['*'] }]);
  });

  it('system:masters alone lists nothing (RBAC lists cluster-admin for it, as in kube)', async () => {
    assert.deepEqual((await reviewRules(privilegedGroups, admin, { namespace: 'default' })).resourceRules, []);
  });

  it('refuses a review without a namespace, in kube words', async () => {
    await assert.rejects(reviewRules(alwaysAllow, alice, {}), { code: 400, message: 'no namespace on request' });
  });

  it('words several errors as one, each once', () => {
    assert.equal(aggregateErrors([]), undefined);
    assert.equal(aggregateErrors(['a']), 'a');
    assert.equal(aggregateErrors(['a', 'a']), 'a');
    assert.equal(aggregateErrors(['a', 'b', 'a']), '[a, b]');
  });
});
