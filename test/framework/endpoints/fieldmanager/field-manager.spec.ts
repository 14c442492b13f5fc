/**
 * Server-side apply and managedFields on plain objects of the multi-version fixture
 * Widget (v1: ports merge by name, size in spec.dimensions; v1beta1: ports atomic,
 * spec.size): ownership by Update and Apply, conflicts, force, release of fields,
 * list-map and set merging, versions, subresources, and kubectl's migration from
 * client-side apply.
 */
import assert from 'node:assert/strict';
import { Scheme, StatusError, type JSONSchemaProps, type ManagedFieldsEntry } from '../../../../src/index';
import { FieldManager, LAST_APPLIED_ANNOTATION, schemeVersions, type PlainObject } from '../../../../src/framework/endpoints/fieldmanager';
import { formatPath } from '../../../../src/framework/endpoints/fieldmanager/field-path';
import { FieldSet } from '../../../../src/framework/endpoints/fieldmanager/field-set';
import { install } from '../../runtime/fixtures/widgets/install';
import { GROUP } from '../../runtime/fixtures/widgets/types';

const scheme = install(new Scheme());
const V1 = { group: GROUP, version: 'v1', kind: 'Widget' };
const V1BETA1 = { group: GROUP, version: 'v1beta1', kind: 'Widget' };

function fieldManager(kind = V1, subresource: '' | 'status' = ''): FieldManager {
  return new FieldManager({ versions: schemeVersions(scheme, 'Widget'), kind, subresource, hasStatusSubresource: true });
}

/** A Widget manifest in a version; `metadata` adds to the name. */
function widget(spec: object | undefined, extra: { metadata?: object; status?: object; version?: string } = {}): PlainObject {
  const obj: PlainObject = {
    apiVersion: `${GROUP}/${extra.version ?? 'v1'}`,
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default', ...extra.metadata },
  };
  if (spec) obj.spec = spec;
  if (extra.status) obj.status = extra.status;
  return obj;
}

function managedFields(obj: PlainObject | null): ManagedFieldsEntry[] {
  return ((obj?.metadata as { managedFields?: ManagedFieldsEntry[] } | undefined)?.managedFields ?? []) as ManagedFieldsEntry[];
}

/** Who owns what: `manager/Operation[/subresource]` → printed paths. */
function owners(obj: PlainObject | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of managedFields(obj)) {
    const name = [entry.manager, entry.operation, entry.subresource].filter(Boolean).join('/');
    out[name] = FieldSet.fromFieldsV1(entry.fieldsV1).paths().map(formatPath);
  }
  return out;
}

function statusOf(fn: () => unknown): StatusError['status'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  assert.fail('expected a StatusError');
}

describe('fieldmanager/FieldManager', () => {
  let live: PlainObject | null;
  const v1 = fieldManager();

  beforeEach(() => {
    live = null;
  });

  function apply(manager: string, config: PlainObject, force = false, fm = v1): PlainObject {
    live = fm.apply(live, config, manager, force);
    return live;
  }

  /** A non-apply write: what the Store's hook does for create, update and patch. */
  function write(manager: string, change: (obj: PlainObject) => void): PlainObject {
    const next = structuredClone(live ?? widget(undefined));
    change(next);
    (next.metadata as { managedFields?: unknown }).managedFields = v1.update(live, next, manager);
    live = next;
    return live;
  }

  describe('Update operations', () => {
    it('records a create with "." on the maps and structs it brought, and nothing the server owns', () => {
      write('kubectl-create', (obj) => {
        Object.assign(obj.metadata as object, { labels: { app: 'demo' }, uid: 'u', resourceVersion: '1', generation: 1 });
        obj.spec = { color: 'red', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] };
      });
      const [entry] = managedFields(live);
      assert.deepEqual(Object.keys(entry), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
      assert.equal(entry.manager, 'kubectl-create');
      assert.equal(entry.operation, 'Update');
      assert.equal(entry.apiVersion, `${GROUP}/v1`);
      assert.match(entry.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(entry.fieldsType, 'FieldsV1');
      assert.deepEqual(entry.fieldsV1, {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          '.': {},
          'f:color': {},
          'f:ports': { '.': {}, 'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {} } },
        },
      });
    });

    it('takes what it changes from its owner, and nobody keeps what it removes', () => {
      write('creator', (obj) => (obj.spec = { color: 'red', replicas: 2, selector: { a: '1' } }));
      write('scaler', (obj) => ((obj.spec as { replicas: number }).replicas = 3));
      write('editor', (obj) => delete (obj.spec as { selector?: unknown }).selector);
      assert.deepEqual(owners(live), {
        'creator/Update': ['.spec', '.spec.color'],
        'scaler/Update': ['.spec.replicas'],
      });
    });

    it('changes no entry, and no time, for a write that changes nothing', () => {
      write('creator', (obj) => (obj.spec = { color: 'red' }));
      const before = managedFields(live);
      write('other', (obj) => ((obj.spec as { color: string }).color = 'red'));
      assert.deepEqual(managedFields(live), before);
    });

    it('clears managedFields on request ([] or one empty entry), and an object without them stays untracked', () => {
      write('creator', (obj) => (obj.spec = { color: 'red' }));
      write('cleaner', (obj) => ((obj.metadata as { managedFields: unknown }).managedFields = [{}]));
      assert.deepEqual(managedFields(live), []);
      write('later', (obj) => ((obj.spec as { color: string }).color = 'blue'));
      assert.deepEqual(managedFields(live), [], 'kube-apiserver starts tracking again only at the first apply');
    });

    it('names a writer without a manager "unknown", and keeps at most ten Update entries', () => {
      write('', (obj) => (obj.spec = { color: 'red' }));
      assert.deepEqual(Object.keys(owners(live)), ['unknown/Update']);
      for (let i = 0; i < 11; i++) {
        write(`writer-${i}`, (obj) => {
          const meta = obj.metadata as { labels?: Record<string, string> };
          meta.labels = { ...meta.labels, [`l${i}`]: 'x' };
        });
      }
      const names = Object.keys(owners(live));
      assert.equal(names.length, 10);
      assert.ok(names.includes('ancient-changes/Update'), names.join(', '));
    });
  });

  describe('Apply', () => {
    const ports = (...names: string[]) => names.map((name, i) => ({ name, port: 8000 + i }));

    it('owns exactly what it configured', () => {
      apply('a', widget({ color: 'red', ports: ports('http') }, { metadata: { labels: { app: 'x' } } }));
      const [entry] = managedFields(live);
      assert.equal(entry.operation, 'Apply');
      assert.deepEqual(entry.fieldsV1, {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:color': {}, 'f:ports': { 'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {} } } },
      });
    });

    it('refuses to change what another manager owns, naming every field and owner; the same value is shared', () => {
      apply('a', widget({ color: 'red', replicas: 1, ports: ports('http') }));
      write('scaler', (obj) => ((obj.spec as { replicas: number }).replicas = 5));
      const status = statusOf(() => apply('b', widget({ color: 'blue', replicas: 2 })));
      assert.equal(status.code, 409);
      assert.equal(status.reason, 'Conflict');
      assert.equal(
        status.message,
        `Apply failed with 2 conflicts: conflicts with "a":\n- .spec.color\nconflicts with "scaler" using ${GROUP}/v1:\n- .spec.replicas`,
      );
      assert.deepEqual(status.details, {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "a"', field: '.spec.color' },
          { reason: 'FieldManagerConflict', message: `conflict with "scaler" using ${GROUP}/v1`, field: '.spec.replicas' },
        ],
      });
      apply('b', widget({ color: 'red' }));
      assert.deepEqual(owners(live)['b/Apply'], ['.spec.color'], 'applying the live value is no conflict: both own it');
      assert.deepEqual(
        owners(live)['a/Apply'],
        ['.spec.color', '.spec.ports[name="http"]', '.spec.ports[name="http"].name', '.spec.ports[name="http"].port'],
        'the scaler took .spec.replicas from a',
      );
    });

    it('words a single conflict as kube-apiserver does', () => {
      apply('a', widget({ color: 'red' }));
      assert.equal(statusOf(() => apply('b', widget({ color: 'blue' }))).message, 'Apply failed with 1 conflict: conflict with "a": .spec.color');
    });

    it('takes the fields over with force', () => {
      apply('a', widget({ color: 'red', replicas: 1 }));
      apply('b', widget({ color: 'blue' }), true);
      assert.equal((live?.spec as { color: string }).color, 'blue');
      assert.deepEqual(owners(live), { 'a/Apply': ['.spec.replicas'], 'b/Apply': ['.spec.color'] });
    });

    it('removes a field the applier no longer applies when nobody else owns it, and keeps it when someone does', () => {
      apply('a', widget({ color: 'red', replicas: 2, selector: { tier: 'web', zone: 'x' } }));
      apply('b', widget({ replicas: 2 }));
      apply('a', widget({ selector: { tier: 'web' } }));
      assert.deepEqual(live?.spec, { replicas: 2, selector: { tier: 'web' } }, 'color and selector.zone go; replicas stays, b owns it');
      apply('a', widget(undefined));
      assert.deepEqual(live?.spec, { replicas: 2 });
      assert.deepEqual(owners(live), { 'b/Apply': ['.spec.replicas'] });
    });

    it('drops a list element its applier no longer applies, even one an updater changed a field of (as kube-apiserver does)', () => {
      apply('a', widget({ color: 'red', ports: ports('http') }));
      write('editor', (obj) => ((obj.spec as { ports: { port: number }[] }).ports[0].port = 9));
      apply('a', widget({ color: 'red' }));
      assert.deepEqual(live?.spec, { color: 'red' }, 'the element goes with its applier, as in kube-apiserver');
    });

    it('merges list-map elements of two appliers by key, keeping both orders, and drops only the element its applier dropped', () => {
      apply('a', widget({ ports: ports('a1', 'a2') }));
      apply('b', widget({ ports: [{ name: 'b1', port: 1 }, { name: 'a2', port: 8001 }] }));
      const names = () => (live?.spec as { ports: { name: string }[] }).ports.map((p) => p.name);
      assert.deepEqual(names(), ['a1', 'b1', 'a2']);
      apply('a', widget({ ports: ports('a3', 'a2') }));
      assert.deepEqual(names(), ['b1', 'a3', 'a2'], 'a1 goes; a2 stays, b co-owns it');
      apply('b', widget({ ports: [{ name: 'b1', port: 1 }] }));
      assert.deepEqual(names(), ['b1', 'a3', 'a2'], 'a2 stays: a still applies it');
      apply('a', widget({ ports: [] }));
      assert.deepEqual(names(), ['b1']);
    });

    it('merges sets by value (metadata.finalizers)', () => {
      apply('a', widget(undefined, { metadata: { finalizers: ['x.io/a', 'shared.io/s'] } }));
      apply('b', widget(undefined, { metadata: { finalizers: ['shared.io/s', 'x.io/b'] } }));
      assert.deepEqual((live?.metadata as { finalizers: string[] }).finalizers, ['x.io/a', 'shared.io/s', 'x.io/b']);
      assert.deepEqual(owners(live)['b/Apply'], ['.metadata.finalizers[="shared.io/s"]', '.metadata.finalizers[="x.io/b"]']);
      apply('a', widget(undefined, { metadata: { finalizers: [] } }));
      assert.deepEqual((live?.metadata as { finalizers: string[] }).finalizers, ['shared.io/s', 'x.io/b']);
    });

    it('owns an atomic list whole: changing one element of it is a conflict on the list (v1beta1 ports)', () => {
      const v1beta1 = fieldManager(V1BETA1);
      apply('a', widget({ ports: ports('http') }, { version: 'v1beta1' }), false, v1beta1);
      assert.deepEqual(owners(live)['a/Apply'], ['.spec.ports']);
      const status = statusOf(() => apply('b', widget({ ports: ports('http', 'extra') }, { version: 'v1beta1' }), false, v1beta1));
      assert.equal(status.message, 'Apply failed with 1 conflict: conflict with "a": .spec.ports');
      apply('b', widget({ ports: ports('other') }, { version: 'v1beta1' }), true, v1beta1);
      assert.deepEqual(live?.spec, { ports: ports('other') }, 'the configured list replaces the live one');
    });

    it('owns a map marked x-kubernetes-map-type: atomic whole: another applier changing one key conflicts on the map', () => {
      const versions = schemeVersions(scheme, 'Widget');
      const withAtomicSelector = (apiVersion: string) => {
        const schema = structuredClone(versions.schema(apiVersion)) as JSONSchemaProps;
        const spec = schema.properties?.spec as JSONSchemaProps;
        (spec.properties?.selector as JSONSchemaProps)['x-kubernetes-map-type'] = 'atomic';
        return schema;
      };
      const atomic = new FieldManager({ versions: { schema: withAtomicSelector, convert: versions.convert }, kind: V1, subresource: '', hasStatusSubresource: true });
      apply('a', widget({ selector: { tier: 'web', zone: 'x' } }), false, atomic);
      assert.deepEqual(owners(live)['a/Apply'], ['.spec.selector']);
      const status = statusOf(() => apply('b', widget({ selector: { tier: 'db' } }), false, atomic));
      assert.equal(status.message, 'Apply failed with 1 conflict: conflict with "a": .spec.selector');
      apply('b', widget({ selector: { tier: 'db' } }), true, atomic);
      assert.deepEqual(live?.spec, { selector: { tier: 'db' } }, 'the configured map replaces the live one');
      assert.deepEqual(owners(live), { 'b/Apply': ['.spec.selector'] });
    });

    it('finds conflicts in the version each manager wrote in', () => {
      const created = widget({ size: 3 }, { version: 'v1beta1' });
      (created.metadata as { managedFields?: unknown }).managedFields = fieldManager(V1BETA1).update(null, created, 'old-client');
      live = scheme.convertPlain(created, V1);
      const status = statusOf(() => apply('new', widget({ dimensions: { size: 4 } })));
      assert.equal(status.message, `Apply failed with 1 conflict: conflict with "old-client" using ${GROUP}/v1beta1: .spec.size`);
      apply('new', widget({ dimensions: { size: 4 } }), true);
      assert.deepEqual(owners(live), { 'new/Apply': ['.spec.dimensions.size'], 'old-client/Update': ['.spec'] }, 'the old manager lost .spec.size');
    });

    it('creates: applying to nothing gives the configured object; an unchanged apply leaves time alone', () => {
      const created = apply('a', widget({ color: 'red' }));
      assert.deepEqual(created.spec, { color: 'red' });
      const before = managedFields(live);
      apply('a', widget({ color: 'red' }));
      assert.deepEqual(managedFields(live), before);
    });

    it('first apply to an untracked object: what it held belongs to before-first-apply', () => {
      live = widget({ color: 'red', replicas: 1 });
      assert.equal(statusOf(() => apply('a', widget({ color: 'blue' }))).message, `Apply failed with 1 conflict: conflict with "before-first-apply" using ${GROUP}/v1: .spec.color`);
      apply('a', widget({ color: 'red' }));
      assert.deepEqual(owners(live), { 'a/Apply': ['.spec.color'], 'before-first-apply/Update': ['.spec', '.spec.color', '.spec.replicas'] });
    });

    it('refuses a configuration of another kind (400), one with managedFields (400), and one that does not fit the schema (400, in kube-apiserver words)', () => {
      assert.deepEqual(pick(statusOf(() => apply('a', { ...widget({}), apiVersion: `${GROUP}/v1beta1` }))), { code: 400, message: `invalid object type: ${GROUP}/v1beta1, Kind=Widget` });
      assert.deepEqual(pick(statusOf(() => apply('a', { metadata: { name: 'w' } }))), { code: 400, message: 'invalid object type: /, Kind=' });
      assert.deepEqual(pick(statusOf(() => apply('a', widget({}, { metadata: { managedFields: [] } })))), { code: 400, message: 'metadata.managedFields must be nil' });
      assert.deepEqual(pick(statusOf(() => apply('a', widget({ replicas: 'two', bogus: 1, ports: [{ port: 1 }] })))), {
        code: 400,
        message:
          `failed to create typed patch object (default/w; ${GROUP}/v1, Kind=Widget): errors:\n` +
          '  .spec.replicas: expected numeric (int or float), got string\n' +
          '  .spec.bogus: field not declared in schema\n' +
          '  .spec.ports: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t have default values for any key fields)',
      });
    });
  });

  describe('status subresource', () => {
    it('owns only status through /status, under an entry that names the subresource; the resource never owns status', () => {
      const status = fieldManager(V1, 'status');
      apply('a', widget({ color: 'red' }, { status: { readyReplicas: 1 } }));
      assert.deepEqual(owners(live), { 'a/Apply': ['.spec.color'] });
      apply('controller', widget({ color: 'ignored' }, { status: { readyReplicas: 2, conditions: [{ type: 'Ready', status: 'True' }] } }), false, status);
      const entry = managedFields(live).find((e) => e.manager === 'controller');
      assert.equal(entry?.subresource, 'status');
      assert.deepEqual(owners(live)['controller/Apply/status'], [
        '.status.readyReplicas',
        '.status.conditions[type="Ready"]',
        '.status.conditions[type="Ready"].status',
        '.status.conditions[type="Ready"].type',
      ]);
    });
  });

  describe('migration from client-side apply', () => {
    const csaConfig = (size: number) => widget({ color: 'red', replicas: size });
    const annotated = (size: number) => `${JSON.stringify(csaConfig(size))}\n`;

    beforeEach(() => {
      write('kubectl-client-side-apply', (obj) => {
        Object.assign(obj, csaConfig(3));
        (obj.metadata as { annotations: object }).annotations = { [LAST_APPLIED_ANNOTATION]: annotated(3) };
      });
    });

    it("lets kubectl's server-side apply take over what client-side apply set, and keeps the annotation in step", () => {
      apply('kubectl', csaConfig(5));
      assert.equal((live?.spec as { replicas: number }).replicas, 5);
      const annotation = (live?.metadata as { annotations: Record<string, string> }).annotations[LAST_APPLIED_ANNOTATION];
      assert.equal(annotation, '{"apiVersion":"fixtures.example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"default"},"spec":{"color":"red","replicas":5}}\n');
      assert.deepEqual(owners(live)['kubectl/Apply'], ['.spec.color', '.spec.replicas']);
    });

    it('gives other managers no such pass', () => {
      assert.equal(statusOf(() => apply('someone', csaConfig(5))).code, 409);
    });
  });
});

function pick(status: StatusError['status']): { code: number; message?: string } {
  return { code: status.code, message: status.message };
}
