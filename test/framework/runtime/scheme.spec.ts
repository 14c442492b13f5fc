import assert from 'node:assert/strict';
import { KubeObject } from '../../../src/framework/api';
import { compareKubeVersions, Field, Hub, INTERNAL_VERSION, Kind, Resource, Scheme, type PrinterColumn } from '../../../src/framework/runtime';
import { install } from './fixtures/widgets/install';
import * as legacy from './fixtures/widgets/legacy';
import { GROUP, Widget, WidgetSpec as InternalWidgetSpec } from './fixtures/widgets/types';
import * as v1 from './fixtures/widgets/v1';
import * as v1alpha1 from './fixtures/widgets/v1alpha1';

describe('runtime/scheme', () => {
  describe('registration', () => {
    it('derives the resource information from the decorators', () => {
      const scheme = install(new Scheme());
      const info = scheme.resourceInfo({ group: GROUP, version: 'v1', resource: 'widgets' });
      assert.deepEqual(info, {
        gvk: { group: GROUP, version: 'v1', kind: 'Widget' },
        plural: 'widgets',
        singular: 'widget',
        listKind: 'WidgetList',
        namespaced: true,
        shortNames: ['wd'],
        categories: ['all', 'fixtures'],
        printerColumns: [
          { name: 'Color', type: 'string', jsonPath: '.spec.color' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', priority: 1 },
        ],
        subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.readyReplicas' } },
        strategicMergePatch: true,
        type: v1.Widget,
        hubGVK: { group: GROUP, version: INTERNAL_VERSION, kind: 'Widget' },
        description: 'A widget: some ports and a colour.',
      });
      assert.equal(scheme.resourceInfoForKind({ group: GROUP, version: 'v1', kind: 'Widget' }), info);
      assert.deepEqual(scheme.resourceInfo({ group: GROUP, version: 'v1alpha1', resource: 'widgets' })?.subresources, { status: false });
      assert.equal(scheme.resourceInfo({ group: GROUP, version: 'v2', resource: 'widgets' }), undefined);
    });

    it('lists every served resource version and every group, versions by priority', () => {
      const scheme = install(new Scheme());
      assert.deepEqual(
        scheme.resources().map((r) => `${r.gvk.group}/${r.gvk.version}`),
        [`${GROUP}/v1alpha1`, `${GROUP}/v1beta1`, `${GROUP}/v1`, `${legacy.LEGACY_GROUP}/v1beta1`],
      );
      assert.deepEqual(scheme.groups(), [
        { group: GROUP, versions: ['v1', 'v1beta1', 'v1alpha1'] },
        { group: legacy.LEGACY_GROUP, versions: ['v1beta1'] },
      ]);
    });

    it('orders versions the Kubernetes way when no priority is set', () => {
      assert.deepEqual(['v1alpha1', 'v2beta1', 'v1', 'foo', 'v1beta2', 'v2', 'v1beta1', 'v10alpha1'].sort(compareKubeVersions), [
        'v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v10alpha1', 'v1alpha1', 'foo',
      ]);
      const scheme = new Scheme().addKnownTypes(Widget);
      v1alpha1.install(scheme);
      v1.install(scheme);
      assert.deepEqual(scheme.groups(), [{ group: GROUP, versions: ['v1', 'v1alpha1'] }]);
      assert.deepEqual(scheme.storageVersion({ group: GROUP, kind: 'Widget' }), { group: GROUP, version: 'v1', kind: 'Widget' });
    });

    it('stores in the preferred version unless told otherwise', () => {
      const scheme = install(new Scheme());
      assert.equal(scheme.storageVersion({ group: GROUP, kind: 'Widget' }).version, 'v1');
      scheme.setStorageVersion({ group: GROUP, kind: 'Widget' }, 'v1beta1');
      assert.deepEqual(scheme.storageVersion({ group: legacy.LEGACY_GROUP, kind: 'Widget' }), { group: GROUP, version: 'v1beta1', kind: 'Widget' });
      scheme.setStorageVersion({ group: GROUP, kind: 'Widget' }, 'v7');
      assert.throws(() => scheme.storageVersion({ group: GROUP, kind: 'Widget' }), /storage version fixtures.example.com\/v7 of Widget is not a registered version/);
    });

    it('stores a kind in a version of another group it is served in, set by kind or by resource before the types exist', () => {
      const byKind = new Scheme().setStorageVersion({ group: legacy.LEGACY_GROUP, kind: 'Widget' }, 'v1beta1');
      install(byKind);
      const inLegacy = { group: legacy.LEGACY_GROUP, version: 'v1beta1', kind: 'Widget' };
      assert.deepEqual(byKind.storageVersion({ group: GROUP, kind: 'Widget' }), inLegacy, 'the hub group asks as the Store does');

      const byResource = new Scheme().setResourceStorageVersion({ group: GROUP, resource: 'widgets' }, `${legacy.LEGACY_GROUP}/v1beta1`);
      install(byResource);
      assert.deepEqual(byResource.storageVersion({ group: GROUP, kind: 'Widget' }), inLegacy);
      byResource.setResourceStorageVersion({ group: legacy.LEGACY_GROUP, resource: 'widgets' }, `${GROUP}/v1alpha1`);
      assert.deepEqual(byResource.storageVersion({ group: GROUP, kind: 'Widget' }), { group: GROUP, version: 'v1alpha1', kind: 'Widget' }, 'the latest setting wins');
      byResource.setResourceStorageVersion({ group: GROUP, resource: 'gadgets' }, `${GROUP}/v1beta1`);
      assert.equal(byResource.storageVersion({ group: GROUP, kind: 'Widget' }).version, 'v1alpha1', 'a setting for another resource does not apply');
      byResource.setResourceStorageVersion({ group: GROUP, resource: 'widgets' }, 'elsewhere.example.com/v1');
      assert.throws(() => byResource.storageVersion({ group: GROUP, kind: 'Widget' }), /storage version elsewhere\.example\.com\/v1 of Widget is not a registered version of Widget/);
    });

    it('knows the kind of an object from its class', () => {
      const scheme = install(new Scheme());
      assert.deepEqual(scheme.kindOf(new v1alpha1.Widget()), { group: GROUP, version: 'v1alpha1', kind: 'Widget' });
      assert.deepEqual(scheme.kindOf(new Widget()), { group: GROUP, version: INTERNAL_VERSION, kind: 'Widget' });
      assert.throws(() => scheme.kindOf(new v1.WidgetSpec()), /WidgetSpec is not registered in this scheme/);
    });

    it('deep-copies typed objects, hubs included, and says why a class-less copy cannot be used', () => {
      const scheme = install(new Scheme());
      const hub = scheme.convert(scheme.fromPlain({ apiVersion: `${GROUP}/v1beta1`, kind: 'Widget', spec: { ports: [{ name: 'a', port: 1 }] } }), {
        group: GROUP,
        version: INTERNAL_VERSION,
        kind: 'Widget',
      }) as Widget;
      const copy = scheme.deepCopy(hub);
      assert.ok(copy instanceof Widget);
      assert.notEqual(copy.spec?.ports, hub.spec?.ports);
      assert.deepEqual(copy, hub);
      assert.throws(() => scheme.deepCopy(structuredClone(hub)), /got a plain object without apiVersion\/kind \(structuredClone drops classes; use scheme.deepCopy\)/);
    });

    it('registers @Kind types that are not resources', () => {
      @Kind({ group: GROUP, version: 'v1', kind: 'WidgetReview' })
      class WidgetReview extends KubeObject {
        @Field(() => Boolean)
        allowed?: boolean;
      }
      const scheme = install(new Scheme()).addKnownTypes(WidgetReview);
      const { object } = scheme.decode(JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'WidgetReview', allowed: true }));
      assert.ok(object instanceof WidgetReview);
      assert.equal(scheme.resources().length, 4);
    });

    it('ignores a class added twice and keeps schemes apart', () => {
      const a = install(new Scheme());
      a.addKnownTypes(v1.Widget);
      const b = new Scheme();
      assert.equal(a.resources().length, 4);
      assert.equal(b.resources().length, 0);
    });
  });

  describe('fails fast with the class named', () => {
    it('for a class without a kind decorator', () => {
      class Plain {}
      assert.throws(() => new Scheme().addKnownTypes(Plain), /^Error: Plain is not a kind: declare it with @Resource, @Hub or @Kind$/);
    });

    it('for a resource without a hub', () => {
      @Resource({ group: 'lonely.example.com', version: 'v1', kind: 'Lonely', plural: 'lonelies', scope: 'Cluster' })
      class Lonely extends KubeObject {}
      assert.throws(() => new Scheme().addKnownTypes(Lonely), /Lonely: no @Hub for Lonely in group "lonely.example.com" is registered/);
    });

    it('for bad options, all of them at once', () => {
      @Resource({
        group: 'Bad_Group',
        version: 'V1',
        kind: 'bad',
        plural: 'Bads',
        scope: 'Everywhere' as 'Cluster',
        printerColumns: [
          { name: 'X', type: 'text' as 'string', jsonPath: 'spec.x' },
          { name: 'Both', type: 'string', jsonPath: '.spec.y', cell: () => null },
          { name: 'Neither', type: 'string' } as PrinterColumn,
        ],
        subresources: { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: '.status.replicas' } },
      })
      class Bad {}
      assert.throws(
        () => new Scheme().addKnownTypes(Bad),
        (err: Error) => {
          for (const part of [
            'group "Bad_Group"',
            'kind "bad"',
            'version "V1"',
            'plural "Bads"',
            'scope must be',
            'no metadata field',
            'printer column "X" has type "text"',
            'jsonPath "spec.x" must start with "."',
            'printer column "Both" has both a jsonPath and a cell function',
            'printer column "Neither" has neither a jsonPath nor a cell function',
            'specReplicasPath "spec.replicas"',
          ]) {
            assert.ok(err.message.includes(part), `missing ${part} in ${err.message}`);
          }
          return err.message.startsWith('Bad: ');
        },
      );
    });

    it('for a status subresource without a status field', () => {
      @Hub({ group: 'nostatus.example.com', kind: 'Thing' })
      class ThingHub extends KubeObject {}
      @Resource({ group: 'nostatus.example.com', version: 'v1', kind: 'Thing', plural: 'things', scope: 'Cluster', subresources: { status: true } })
      class Thing extends KubeObject {}
      assert.throws(() => new Scheme().addKnownTypes(Thing, ThingHub), /Thing: the status subresource needs a status field/);
    });

    it('for two classes claiming one kind', () => {
      @Resource({ group: GROUP, version: 'v1', kind: 'Widget', plural: 'widgets2', scope: 'Namespaced' })
      class Impostor extends KubeObject {}
      assert.throws(() => install(new Scheme()).addKnownTypes(Impostor), /Impostor: fixtures.example.com\/v1, Kind=Widget is already registered by Widget/);
    });

    it('for field types it cannot know', () => {
      class ListWithoutType {
        @Field()
        items?: string[];
      }
      @Hub({ group: 'fields.example.com', kind: 'Holder' })
      class Holder extends KubeObject {
        @Field(() => ListWithoutType)
        spec?: ListWithoutType;
      }
      assert.throws(() => new Scheme().addKnownTypes(Holder), /ListWithoutType.items: declare the item type, e.g. @Field\(\(\) => String, \{ array: true \}\)/);
    });

    it('for a class declared with two roles', () => {
      assert.throws(() => {
        @Hub({ group: GROUP, kind: 'Twice' })
        @Kind({ group: GROUP, version: 'v1', kind: 'Twice' })
        class Twice {}
        return Twice;
      }, /Twice is already declared as @Kind; a class has one role/);
    });
  });

  describe('conversion registration', () => {
    it('refuses a second conversion for the same pair', () => {
      const scheme = install(new Scheme());
      assert.throws(() => scheme.addConversion(v1.WidgetSpec, InternalWidgetSpec, () => undefined), /a conversion from WidgetSpec to WidgetSpec is already registered/);
      assert.doesNotThrow(() => scheme.addConversion(v1.Widget, Widget, () => undefined));
      assert.throws(() => scheme.addConversion(v1.Widget, Widget, () => undefined), /already registered/);
    });

    it('uses a conversion registered directly between two versions instead of the hub', () => {
      const scheme = install(new Scheme());
      scheme.addConversion(v1alpha1.Widget, v1.Widget, (src, dst) => {
        dst.spec = new v1.WidgetSpec();
        dst.spec.color = `direct ${src.spec?.colour}`;
      });
      const out = scheme.convert(scheme.fromPlain({ apiVersion: `${GROUP}/v1alpha1`, kind: 'Widget', spec: { colour: 'red' } }), {
        group: GROUP,
        version: 'v1',
        kind: 'Widget',
      }) as v1.Widget;
      assert.equal(out.spec?.color, 'direct red');
    });
  });
});
