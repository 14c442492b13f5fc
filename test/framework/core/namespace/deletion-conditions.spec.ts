import assert from 'node:assert/strict';
import type { ContentDeletionOutcome } from '../../../../src/framework/core/namespace/content-deleter';
import { mergeConditions, namespaceDeletionConditions } from '../../../../src/framework/core/namespace/deletion-conditions';

const clean = (): ContentDeletionOutcome => ({ failedGroups: new Map(), contentErrors: [], remainingByResource: new Map(), remainingByFinalizer: new Map() });
const row = (c: { type: string; status: string; reason?: string }) => `${c.type} ${c.status} ${c.reason}`;

describe('namespace deletion conditions', () => {
  it('are all False with kube reasons and messages when the content is gone', () => {
    const conditions = namespaceDeletionConditions(clean());
    assert.deepEqual(conditions.map(row), [
      'NamespaceDeletionDiscoveryFailure False ResourcesDiscovered',
      'NamespaceDeletionGroupVersionParsingFailure False ParsedGroupVersions',
      'NamespaceDeletionContentFailure False ContentDeleted',
      'NamespaceContentRemaining False ContentRemoved',
      'NamespaceFinalizersRemaining False ContentHasNoFinalizers',
    ]);
    assert.equal(conditions[0].message, 'All resources successfully discovered');
    assert.equal(conditions[4].message, 'All content-preserving finalizers finished');
  });

  it('say which groups failed discovery, what could not be deleted and what remains, in sorted, stable messages', () => {
    const outcome: ContentDeletionOutcome = {
      failedGroups: new Map([['nginx.example.com/v1', 'the server is currently unable to handle the request'], ['a.example.com/v1', 'down']]),
      contentErrors: ['z failed', 'a failed'],
      remainingByResource: new Map([['widgets.example.com', 2], ['configmaps.', 1]]),
      remainingByFinalizer: new Map([['example.com/keep', 2]]),
    };
    const byType = new Map(namespaceDeletionConditions(outcome).map((c) => [c.type, c]));
    assert.deepEqual(byType.get('NamespaceDeletionDiscoveryFailure'), {
      type: 'NamespaceDeletionDiscoveryFailure',
      status: 'True',
      reason: 'DiscoveryFailed',
      message: 'Discovery failed for some groups, 2 failing: unable to retrieve the complete list of server APIs: a.example.com/v1: down, nginx.example.com/v1: the server is currently unable to handle the request',
    });
    assert.equal(byType.get('NamespaceDeletionContentFailure')?.message, 'Failed to delete all resource types, 2 remaining: a failed, z failed');
    assert.equal(byType.get('NamespaceDeletionContentFailure')?.reason, 'ContentDeletionFailed');
    assert.equal(byType.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: configmaps. has 1 resource instances, widgets.example.com has 2 resource instances');
    assert.equal(byType.get('NamespaceContentRemaining')?.reason, 'SomeResourcesRemain');
    assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/keep in 2 resource instances');
    assert.equal(byType.get('NamespaceFinalizersRemaining')?.reason, 'SomeFinalizersRemain');
    assert.equal(byType.get('NamespaceDeletionGroupVersionParsingFailure')?.status, 'False');
  });

  it('merge into the existing ones: unchanged is no change, a new message keeps the transition time, a new status moves it', () => {
    const failing = namespaceDeletionConditions({ ...clean(), failedGroups: new Map([['nginx.example.com/v1', 'down']]) });
    const first = mergeConditions([{ type: 'Other', status: 'True' }], failing, 't1')!;
    assert.deepEqual(first.map((c) => c.type), ['Other', ...failing.map((c) => c.type)]);
    assert.ok(first.slice(1).every((c) => c.lastTransitionTime === 't1'));
    assert.equal(mergeConditions(first, failing, 't2'), undefined);
    const reworded = mergeConditions(first, namespaceDeletionConditions({ ...clean(), failedGroups: new Map([['nginx.example.com/v1', 'still down']]) }), 't3')!;
    assert.equal(reworded.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure')?.lastTransitionTime, 't1');
    const recovered = mergeConditions(reworded, namespaceDeletionConditions(clean()), 't4')!;
    const discovery = recovered.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure')!;
    assert.deepEqual([discovery.status, discovery.reason, discovery.lastTransitionTime], ['False', 'ResourcesDiscovered', 't4']);
    assert.equal(recovered.find((c) => c.type === 'NamespaceContentRemaining')?.lastTransitionTime, 't1');
  });
});
