import assert from 'node:assert/strict';
import { KubeObject } from '../../../src/framework/api';
import { Field, Hub, INTERNAL_VERSION, Resource, Scheme, type GroupVersionKind } from '../../../src/framework/runtime';
import { install } from './fixtures/widgets/install';
import * as legacy from './fixtures/widgets/legacy';
import { GROUP, Widget } from './fixtures/widgets/types';
import * as v1 from './fixtures/widgets/v1';
import * as v1beta1 from './fixtures/widgets/v1beta1';

const gvk = (version: string): GroupVersionKind => ({ group: GROUP, version, kind: 'Widget' });
const HUB = gvk(INTERNAL_VERSION);

const alphaWidget = () => ({
  apiVersion: `${GROUP}/v1alpha1`,
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'default', labels: { app: 'a' } },
  spec: { size: 3, colour: 'red', replicas: 2, legacyNote: 'keep me' },
});

const v1Widget = () => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'default' },
  spec: {
    dimensions: { size: 3 },
    color: 'blue',
    replicas: 2,
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    selector: { part: 'wheel' },
  },
  status: { readyReplicas: 1, conditions: [{ type: 'Ready', status: 'False', reason: 'Starting' }] },
});

describe('runtime/conversion', () => {
  let scheme: Scheme;
  beforeEach(() => {
    scheme = install(new Scheme());
  });

  describe('through the hub', () => {
    it('converts v1alpha1 to the hub with the renamed field in its new place', () => {
      const hub = scheme.convert(scheme.fromPlain(alphaWidget()), HUB) as Widget;
      assert.ok(hub instanceof Widget);
      assert.equal(hub.apiVersion, undefined);
      assert.deepEqual(scheme.toPlain(hub), {
        metadata: { name: 'w', namespace: 'default', labels: { app: 'a' } },
        spec: { size: 3, color: 'red', replicas: 2, legacyNote: 'keep me' },
      });
    });

    it('moves size into spec.dimensions and drops the removed legacyNote on the way to v1', () => {
      const out = scheme.convertPlain(alphaWidget(), gvk('v1'));
      assert.deepEqual(out, {
        apiVersion: `${GROUP}/v1`,
        kind: 'Widget',
        metadata: { name: 'w', namespace: 'default', labels: { app: 'a' } },
        spec: { dimensions: { size: 3 }, color: 'red', replicas: 2 },
      });
    });

    it('round-trips v1alpha1 → v1beta1 → v1 → v1beta1 → v1alpha1 except the field v1 removed', () => {
      let obj = scheme.fromPlain(alphaWidget());
      for (const version of ['v1beta1', 'v1', 'v1beta1', 'v1alpha1']) obj = scheme.convert(obj, gvk(version));
      const expected = alphaWidget();
      delete (expected.spec as Partial<typeof expected.spec>).legacyNote;
      assert.deepEqual(scheme.toPlain(obj), expected);
    });

    it('round-trips every version through the hub and back unchanged', () => {
      const inputs = [alphaWidget(), v1Widget(), { ...v1Widget(), apiVersion: `${GROUP}/v1beta1`, spec: { size: 3, color: 'blue', ports: [], legacyNote: 'n' } }];
      for (const input of inputs) {
        const typed = scheme.fromPlain(input);
        const back = scheme.convert(scheme.convert(typed, HUB), scheme.kindOf(typed));
        assert.deepEqual(scheme.toPlain(back), input);
      }
    });

    it('keeps nested classes and their methods on the converted objects', () => {
      const typed = scheme.fromPlain(v1Widget()) as v1.Widget;
      const hub = scheme.convert(typed, HUB) as Widget;
      assert.equal(hub.isReady(), false);
      const beta = scheme.convert(hub, gvk('v1beta1')) as v1beta1.Widget;
      assert.ok(beta.spec instanceof v1beta1.WidgetSpec);
      assert.ok(beta.spec.ports?.[0] instanceof v1beta1.WidgetPort);
      assert.equal(beta.spec.size, 3);
    });

    it('never changes its input', () => {
      const typed = scheme.fromPlain(v1Widget());
      const before = scheme.toPlain(typed);
      scheme.convert(typed, gvk('v1alpha1'));
      assert.deepEqual(scheme.toPlain(typed), before);
    });

    it('gives a deep copy for the identity conversion', () => {
      const typed = scheme.fromPlain(v1Widget()) as v1.Widget;
      const copy = scheme.convert(typed, gvk('v1')) as v1.Widget;
      assert.notEqual(copy, typed);
      assert.notEqual(copy.spec, typed.spec);
      assert.ok(copy.spec?.dimensions instanceof v1.WidgetDimensions);
      copy.spec!.ports![0].port = 8080;
      assert.equal(typed.spec?.ports?.[0].port, 80);
    });
  });

  describe('convertPlain', () => {
    it('returns its input for the same version', () => {
      const plain = v1Widget();
      assert.equal(scheme.convertPlain(plain, gvk('v1')), plain);
    });

    it('agrees with the typed conversion, with and without registered functions on the way', () => {
      const beta = { ...v1Widget(), apiVersion: `${GROUP}/v1beta1`, spec: { size: 3, color: 'blue', legacyNote: 'n', ports: [{ name: 'p', port: 1 }] } };
      const legacyBeta = { ...beta, apiVersion: `${legacy.LEGACY_GROUP}/v1beta1` };
      const legacyGVK = { group: legacy.LEGACY_GROUP, version: 'v1beta1', kind: 'Widget' };
      const pairs: [Record<string, unknown>, GroupVersionKind][] = [
        [beta, gvk('v1alpha1')],
        [beta, gvk('v1')],
        [v1Widget(), gvk('v1beta1')],
        [alphaWidget(), gvk('v1beta1')],
        // Nothing but default copies between these two: converted plain to plain.
        [beta, legacyGVK],
        [legacyBeta, gvk('v1beta1')],
      ];
      for (const [plain, target] of pairs) {
        const typed = scheme.toPlain(scheme.convert(scheme.fromPlain(plain), target));
        assert.deepEqual(scheme.convertPlain(plain, target), typed, `${String(plain.apiVersion)} → ${target.group}/${target.version}`);
      }
    });

    it('puts apiVersion and kind first', () => {
      const out = scheme.convertPlain({ metadata: { name: 'x' }, kind: 'Widget', apiVersion: `${GROUP}/v1beta1` }, gvk('v1'));
      assert.deepEqual(Object.keys(out).slice(0, 2), ['apiVersion', 'kind']);
    });
  });

  describe('toPlainAs', () => {
    // A hub with a field its version lacks and one the version spells on the wire under another name.
    @Hub({ group: 'copy.example.com', kind: 'Gizmo' })
    class Gizmo extends KubeObject {
      @Field(() => Number, { type: 'integer' })
      size?: number;

      @Field(() => String)
      internalNote?: string;
    }

    @Resource({ group: 'copy.example.com', version: 'v1', kind: 'Gizmo', plural: 'gizmos', scope: 'Namespaced' })
    class GizmoV1 extends KubeObject {
      @Field(() => Number, { type: 'integer', name: 'gizmoSize' })
      size?: number;
    }

    it('copies a hub object straight into the version: its wire names, without the fields it lacks, apiVersion and kind first', () => {
      const gizmos = new Scheme().addKnownTypes(Gizmo, GizmoV1);
      const hub = Object.assign(new Gizmo(), { metadata: { name: 'g' }, size: 4, internalNote: 'not served' });
      const out = gizmos.toPlainAs(hub, { group: 'copy.example.com', version: 'v1', kind: 'Gizmo' });
      assert.deepEqual(out, { apiVersion: 'copy.example.com/v1', kind: 'Gizmo', metadata: { name: 'g' }, gizmoSize: 4 });
      assert.deepEqual(Object.keys(out), ['apiVersion', 'kind', 'metadata', 'gizmoSize']);
      assert.deepEqual(out, gizmos.toPlain(gizmos.convert(hub, { group: 'copy.example.com', version: 'v1', kind: 'Gizmo' })));
    });

    it('agrees with toPlain(convert()) from the hub and from a version, to every version, with and without registered functions on the way', () => {
      const legacyGVK = { group: legacy.LEGACY_GROUP, version: 'v1beta1', kind: 'Widget' };
      const sources = [scheme.fromPlain(v1Widget()), scheme.fromPlain(alphaWidget())];
      sources.push(...sources.map((obj) => scheme.convert(obj, HUB)));
      for (const obj of sources) {
        for (const target of [gvk('v1'), gvk('v1beta1'), gvk('v1alpha1'), legacyGVK, HUB]) {
          const expected = scheme.toPlain(scheme.convert(obj, target));
          const out = scheme.toPlainAs(obj, target);
          assert.deepEqual(out, expected, `${obj.constructor.name} → ${target.group}/${target.version}`);
          assert.deepEqual(Object.keys(out), Object.keys(expected), 'the same key order');
        }
      }
    });
  });

  describe('one kind in two groups', () => {
    it('shares the hub and the storage version of the home group', () => {
      const info = scheme.resourceInfo({ group: legacy.LEGACY_GROUP, version: 'v1beta1', resource: 'widgets' });
      assert.deepEqual(info?.hubGVK, HUB);
      assert.deepEqual(scheme.storageVersion({ group: legacy.LEGACY_GROUP, kind: 'Widget' }), gvk('v1'));
      assert.deepEqual(scheme.storageVersion({ group: GROUP, kind: 'Widget' }), gvk('v1'));
    });

    it('converts between the groups through the shared hub', () => {
      const legacyPlain = { apiVersion: `${legacy.LEGACY_GROUP}/v1beta1`, kind: 'Widget', metadata: { name: 'l' }, spec: { size: 7, color: 'green' } };
      const stored = scheme.convertPlain(legacyPlain, gvk('v1'));
      assert.deepEqual(stored.spec, { dimensions: { size: 7 }, color: 'green' });
      // Reading the stored v1 object applies v1's defaults, which then travel to the legacy version.
      const back = scheme.convert(scheme.fromPlain(stored), { group: legacy.LEGACY_GROUP, version: 'v1beta1', kind: 'Widget' });
      assert.ok(back instanceof legacy.Widget);
      assert.equal(back.apiVersion, `${legacy.LEGACY_GROUP}/v1beta1`);
      assert.deepEqual(scheme.toPlain(back).spec, { size: 7, color: 'green', replicas: 1 });
    });
  });

  describe('a field the internal type does not have', () => {
    // An internal TestObj without `number` and a versioned one with it: the
    // versioned field has nowhere to live, so it does not survive the hub.
    @Hub({ group: 'test.example.com', kind: 'TestObj' })
    class InternalTestObj extends KubeObject {}

    @Resource({ group: 'test.example.com', version: 'v1', kind: 'TestObj', plural: 'testobjs', scope: 'Namespaced' })
    class TestObj extends KubeObject {
      @Field(() => Number, { type: 'integer' })
      number?: number;
    }

    it('is dropped on the way in and absent on the way back', () => {
      const testScheme = new Scheme().addKnownTypes(TestObj, InternalTestObj);
      const { object } = testScheme.decode(JSON.stringify({ apiVersion: 'test.example.com/v1', kind: 'TestObj', metadata: { name: 't' }, number: 3 }));
      assert.equal((object as TestObj).number, 3);
      const hub = testScheme.convert(object, { group: 'test.example.com', version: INTERNAL_VERSION, kind: 'TestObj' });
      assert.ok(hub instanceof InternalTestObj);
      assert.equal('number' in hub, false);
      const back = testScheme.convert(hub, { group: 'test.example.com', version: 'v1', kind: 'TestObj' }) as TestObj;
      assert.equal(back.number, undefined);
      assert.deepEqual(testScheme.toPlain(back), { apiVersion: 'test.example.com/v1', kind: 'TestObj', metadata: { name: 't' } });
    });
  });
});
