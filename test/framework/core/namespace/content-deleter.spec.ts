import assert from 'node:assert/strict';
import type { NamespacedContent, NamespacedContentSource } from '../../../../src/framework/core/namespace/content';
import { deleteAllContent, isContentDeleted } from '../../../../src/framework/core/namespace/content-deleter';

/** A resource held in memory: objects by namespace, each with its finalizers; deleting keeps objects that have finalizers. */
class MemoryContent implements NamespacedContent {
  readonly deletedIn: string[] = [];
  constructor(
    readonly resource: NamespacedContent['resource'],
    private readonly objects: Map<string, string[][]>,
    private readonly behaviour: { failDelete?: string; ignoreDelete?: boolean; unlistable?: boolean } = {},
  ) {}

  async deleteAll(namespace: string): Promise<void> {
    if (this.behaviour.failDelete) throw new Error(this.behaviour.failDelete);
    this.deletedIn.push(namespace);
    if (!this.behaviour.ignoreDelete) this.objects.set(namespace, (this.objects.get(namespace) ?? []).filter((f) => f.length > 0));
  }

  async remaining(namespace: string): Promise<string[][] | undefined> {
    return this.behaviour.unlistable ? undefined : (this.objects.get(namespace) ?? []);
  }
}

const source = (resources: NamespacedContent[], failedGroups: Record<string, string> = {}): NamespacedContentSource =>
  async () => ({ resources, failedGroups: new Map(Object.entries(failedGroups)) });

describe('deleteAllContent', () => {
  it('deletes the namespace content of every source and is complete when nothing remains', async () => {
    const widgets = new MemoryContent({ group: 'example.com', version: 'v1', resource: 'widgets' }, new Map([['team', [[], []]], ['other', [[]]]]));
    const upstreams = new MemoryContent({ group: 'nginx.example.com', version: 'v1', resource: 'upstreams' }, new Map([['team', [[]]]]));
    const outcome = await deleteAllContent('team', [source([widgets]), source([upstreams])]);
    assert.deepEqual([widgets.deletedIn, upstreams.deletedIn], [['team'], ['team']]);
    assert.equal(await widgets.remaining('other').then((left) => left?.length), 1);
    assert.equal(isContentDeleted(outcome), true);
  });

  it('counts what finalizers keep, by resource and by finalizer, without calling it a failure', async () => {
    const widgets = new MemoryContent({ group: 'example.com', version: 'v1', resource: 'widgets' }, new Map([['team', [['example.com/keep'], ['example.com/keep', 'other/hold'], []]]]));
    const outcome = await deleteAllContent('team', [source([widgets])]);
    assert.deepEqual(outcome.contentErrors, []);
    assert.deepEqual([...outcome.remainingByResource], [['widgets.example.com', 2]]);
    assert.deepEqual([...outcome.remainingByFinalizer], [['example.com/keep', 2], ['other/hold', 1]]);
    assert.equal(isContentDeleted(outcome), false);
  });

  it('calls objects that remain without finalizers a failure, naming the resource as kube does', async () => {
    const stubborn = new MemoryContent({ group: '', version: 'v1', resource: 'configmaps' }, new Map([['team', [[]]]]), { ignoreDelete: true });
    const outcome = await deleteAllContent('team', [source([stubborn])]);
    assert.deepEqual(outcome.contentErrors, ['unexpected items still remain in namespace: team for gvr: /v1, Resource=configmaps']);
    assert.deepEqual([...outcome.remainingByResource], [['configmaps.', 1]]);
  });

  it('goes on past a resource that fails and past groups that cannot be discovered, and is then incomplete', async () => {
    const broken = new MemoryContent({ group: 'a.example.com', version: 'v1', resource: 'things' }, new Map(), { failDelete: 'things.a.example.com is forbidden' });
    const widgets = new MemoryContent({ group: 'example.com', version: 'v1', resource: 'widgets' }, new Map([['team', [[]]]]));
    const outcome = await deleteAllContent('team', [source([broken, widgets], { 'nginx.example.com/v1': 'the server is currently unable to handle the request' })]);
    assert.deepEqual(widgets.deletedIn, ['team']);
    assert.deepEqual(outcome.contentErrors, ['things.a.example.com is forbidden']);
    assert.deepEqual([...outcome.failedGroups], [['nginx.example.com/v1', 'the server is currently unable to handle the request']]);
    assert.equal(isContentDeleted(outcome), false);
    const undiscovered = await deleteAllContent('team', [source([], { 'nginx.example.com/v1': 'down' })]);
    assert.equal(isContentDeleted(undiscovered), false);
  });

  it('trusts the deletion of a resource it cannot list', async () => {
    const unlistable = new MemoryContent({ group: 'example.com', version: 'v1', resource: 'events' }, new Map([['team', [[]]]]), { unlistable: true, ignoreDelete: true });
    const outcome = await deleteAllContent('team', [source([unlistable])]);
    assert.deepEqual(unlistable.deletedIn, ['team']);
    assert.equal(isContentDeleted(outcome), true);
  });
});
