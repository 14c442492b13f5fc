import assert from 'node:assert/strict';
import { renderForCluster, type Rendered } from '../../../src/controllers/federation/render';
import { isManagedBy, needsUpdate, updateOf } from '../../../src/controllers/federation/member-object';
import type { UnstructuredObject } from '../../../src/index';

const TARGET = { apiVersion: 'nginx.example.com/v1', kind: 'Upstream', name: 'web', namespace: 'default', origin: 'federatedupstreams.types.federation.example.com/default/web' };
const TEMPLATE = {
  metadata: { labels: { app: 'web' }, annotations: { note: 'kept' } },
  spec: { servers: [{ address: '10.0.0.1', port: 80, weight: 3 }], keepalive: 8 },
  status: { serverCount: 9 },
};

function rendered(overrides: Parameters<typeof renderForCluster>[1] = []): Rendered {
  const outcome = renderForCluster(TEMPLATE, overrides, TARGET);
  if ('error' in outcome) assert.fail(outcome.error);
  return outcome;
}

/** The rendered object as a member would store it: with server fields and defaults added. */
function stored(r: Rendered, extra: Record<string, unknown> = {}): UnstructuredObject {
  const object = structuredClone(r.object) as UnstructuredObject;
  object.metadata = { ...object.metadata, uid: 'u1', resourceVersion: '7', finalizers: ['member/keep'] };
  (object.spec as { servers: Record<string, unknown>[] }).servers[0].maxFails = 1;
  return { ...object, ...extra };
}

describe('federation controller: rendering and member objects', () => {
  it('renders the template named, marked and digested, without its status', () => {
    const r = rendered();
    assert.deepEqual(r.object.metadata, {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web', 'federation.example.com/managed': 'true' },
      annotations: { note: 'kept', 'federation.example.com/origin': TARGET.origin, 'federation.example.com/rendered-hash': r.hash },
    });
    assert.equal(r.object.apiVersion, 'nginx.example.com/v1');
    assert.equal(r.object.kind, 'Upstream');
    assert.equal(r.object.status, undefined);
    assert.match(r.hash, /^[0-9a-f]{32}$/);
  });

  it('applies overrides in order, replace by default, and changes the digest with them', () => {
    const r = rendered([
      { path: '/spec/servers/0/weight', value: 1 },
      { op: 'add', path: '/metadata/labels/zone', value: 'west' },
      { op: 'remove', path: '/spec/keepalive' },
    ]);
    assert.deepEqual(r.object.spec, { servers: [{ address: '10.0.0.1', port: 80, weight: 1 }] });
    assert.equal((r.object.metadata as { labels: Record<string, string> }).labels.zone, 'west');
    assert.notEqual(r.hash, rendered().hash);
    assert.equal(rendered().hash, rendered().hash);
  });

  it('reports overrides that do not apply instead of rendering', () => {
    const outcome = renderForCluster(TEMPLATE, [{ op: 'replace', path: '/spec/missing/field', value: 1 }], TARGET);
    assert.ok('error' in outcome);
    assert.match(outcome.error, /^overrides do not apply: /);
  });

  it('updates a member object only when the rendering changed or someone changed what it sets', () => {
    const r = rendered();
    assert.equal(needsUpdate(r, stored(r)), false, 'defaults and server fields the member added do not count');
    assert.equal(needsUpdate(rendered([{ path: '/spec/keepalive', value: 9 }]), stored(r)), true, 'a new rendering counts');
    const drifted = stored(r);
    (drifted.spec as { keepalive: number }).keepalive = 16;
    assert.equal(needsUpdate(r, drifted), true, 'a changed field counts');
    const relabelled = stored(r);
    relabelled.metadata.labels = { 'federation.example.com/managed': 'true' };
    assert.equal(needsUpdate(r, relabelled), true, 'a removed label counts');
  });

  it('writes over a member object keeping its version, finalizers, own annotations and status', () => {
    const r = rendered([{ path: '/spec/keepalive', value: 9 }]);
    const remote = stored(rendered(), { status: { serverCount: 1 } });
    remote.metadata.annotations = { ...remote.metadata.annotations, 'member.example.com/seen': 'yes' };
    const update = updateOf(r, remote) as UnstructuredObject;
    assert.equal(update.metadata.resourceVersion, '7');
    assert.equal(update.metadata.uid, 'u1');
    assert.deepEqual(update.metadata.finalizers, ['member/keep']);
    assert.equal(update.metadata.annotations?.['member.example.com/seen'], 'yes');
    assert.equal(update.metadata.annotations?.['federation.example.com/rendered-hash'], r.hash);
    assert.deepEqual(update.status, { serverCount: 1 });
    assert.equal((update.spec as { keepalive: number }).keepalive, 9);
  });

  it('tells its own objects from others: marked and of this origin; adopting only unclaimed managed ones', () => {
    const r = rendered();
    assert.equal(isManagedBy(stored(r), TARGET.origin), true);
    assert.equal(isManagedBy(stored(r), 'federatedupstreams.types.federation.example.com/default/other'), false);
    const unmarked = stored(r);
    unmarked.metadata.labels = {};
    assert.equal(isManagedBy(unmarked, TARGET.origin, true), false);
    const unclaimed = stored(r);
    unclaimed.metadata.annotations = {};
    assert.equal(isManagedBy(unclaimed, TARGET.origin), false);
    assert.equal(isManagedBy(unclaimed, TARGET.origin, true), true);
  });
});
