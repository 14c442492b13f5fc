import assert from 'node:assert/strict';
import { isStatusError, StatusError } from '../../../src/framework/api';
import { Scheme, type DecodeOptions, type GroupVersionKind } from '../../../src/framework/runtime';
import { install } from './fixtures/widgets/install';
import { GROUP } from './fixtures/widgets/types';
import * as v1 from './fixtures/widgets/v1';

const V1: GroupVersionKind = { group: GROUP, version: 'v1', kind: 'Widget' };

const JSON_BODY = `{
  "apiVersion": "${GROUP}/v1",
  "kind": "Widget",
  "metadata": {"name": "w", "labels": {"app": "a"}},
  "spec": {"dimensions": {"size": 2}, "color": "red", "ports": [{"name": "http", "port": 80}], "selector": {"part": "x"}}
}`;

const YAML_BODY = `
apiVersion: ${GROUP}/v1
kind: Widget
metadata:
  name: w
  labels:
    app: a
spec:
  dimensions:
    size: 2
  color: red
  ports:
  - name: http
    port: 80
  selector:
    part: x
`;

function decodeError(scheme: Scheme, body: string, opts: DecodeOptions = { expected: V1 }): StatusError {
  try {
    scheme.decode(body, opts);
  } catch (err) {
    assert.ok(isStatusError(err), `expected a StatusError, got ${String(err)}`);
    return err;
  }
  assert.fail('decode succeeded');
}

describe('runtime/codec', () => {
  let scheme: Scheme;
  beforeEach(() => {
    scheme = install(new Scheme());
  });

  describe('decode', () => {
    it('decodes the same object from JSON and from YAML, sniffing the format', () => {
      const fromJSON = scheme.decode(JSON_BODY);
      const fromYAML = scheme.decode(Buffer.from(YAML_BODY));
      assert.deepEqual(fromYAML, fromJSON);
      assert.deepEqual(scheme.decode(YAML_BODY, { mediaType: 'application/yaml' }), fromJSON);
      assert.deepEqual(fromJSON.gvk, V1);
    });

    it('builds class instances all the way down', () => {
      const obj = scheme.decode(JSON_BODY).object as v1.Widget;
      assert.ok(obj instanceof v1.Widget);
      assert.ok(obj.spec instanceof v1.WidgetSpec);
      assert.ok(obj.spec.dimensions instanceof v1.WidgetDimensions);
      assert.ok(obj.spec.ports?.[0] instanceof v1.WidgetPort);
    });

    it('applies the defaulters of the object and of nested classes', () => {
      const obj = scheme.decode(JSON_BODY).object as v1.Widget;
      assert.equal(obj.spec?.replicas, 1);
      assert.equal(obj.spec?.ports?.[0].protocol, 'TCP');
      const explicit = scheme.decode(JSON_BODY.replace('"color": "red"', '"color": "red", "replicas": 0')).object as v1.Widget;
      assert.equal(explicit.spec?.replicas, 0);
    });

    it('reports and drops unknown fields with their paths', () => {
      const body = JSON.stringify({
        apiVersion: `${GROUP}/v1`,
        kind: 'Widget',
        metadata: { name: 'w', bogus: 1 },
        spec: { colour: 'red', ports: [{ name: 'a', port: 1 }, { name: 'b', port: 2, extra: true }] },
        top: 'x',
      });
      const result = scheme.decode(body);
      assert.deepEqual(result.unknownFields, ['.metadata.bogus', '.spec.colour', '.spec.ports[1].extra', '.top']);
      assert.deepEqual(scheme.toPlain(result.object), {
        apiVersion: `${GROUP}/v1`,
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { replicas: 1, ports: [{ name: 'a', port: 1, protocol: 'TCP' }, { name: 'b', port: 2, protocol: 'TCP' }] },
      });
    });

    it('reports duplicate fields in JSON and in YAML; the last one wins', () => {
      const json = scheme.decode(`{"apiVersion":"${GROUP}/v1","kind":"Widget","spec":{"color":"red","ports":[{"name":"a","port":1,"port":2}],"color":"blue"}}`);
      assert.deepEqual(json.duplicateFields, ['.spec.ports[0].port', '.spec.color']);
      assert.equal((json.object as v1.Widget).spec?.color, 'blue');
      const yaml = scheme.decode(`apiVersion: ${GROUP}/v1\nkind: Widget\nspec:\n  color: red\n  color: green\n`);
      assert.deepEqual(yaml.duplicateFields, ['.spec.color']);
      assert.equal((yaml.object as v1.Widget).spec?.color, 'green');
      assert.deepEqual(scheme.decode(JSON_BODY).duplicateFields, []);
    });

    it('finds duplicates behind escaped quotes and in keys with escapes', () => {
      const body = `{"apiVersion":"${GROUP}/v1","kind":"Widget","metadata":{"annotations":{"a\\"b":"x\\\\","a\\u0022b":"y"}}}`;
      assert.deepEqual(scheme.decode(body).duplicateFields, ['.metadata.annotations.a"b']);
    });

    it('fills a missing apiVersion and kind from the expected kind', () => {
      const result = scheme.decode('{"metadata":{"name":"w"}}', { expected: V1 });
      assert.ok(result.object instanceof v1.Widget);
      assert.equal(result.object.apiVersion, `${GROUP}/v1`);
      assert.equal(result.object.kind, 'Widget');
    });

    it('refuses input that is not JSON or YAML', () => {
      const json = decodeError(scheme, '{"apiVersion": ');
      assert.equal(json.code, 400);
      assert.equal(json.reason, 'BadRequest');
      assert.match(json.message, /^couldn't get version\/kind; json parse error: /);
      assert.match(decodeError(scheme, 'a: [1, 2\nb: c').message, /^couldn't get version\/kind; yaml parse error: /);
      assert.match(decodeError(scheme, '[1, 2]').message, /cannot unmarshal array into Go value/);
    });

    it('refuses a wrong apiVersion or kind', () => {
      assert.equal(
        decodeError(scheme, `{"apiVersion":"${GROUP}/v1beta1","kind":"Widget"}`).message,
        `the API version in the data (${GROUP}/v1beta1) does not match the expected API version (${GROUP}/v1)`,
      );
      assert.match(decodeError(scheme, `{"apiVersion":"${GROUP}/v1","kind":"Gadget"}`).message, /^the object provided is unrecognized \(must be of type Widget\): /);
      assert.match(decodeError(scheme, `{"apiVersion":"${GROUP}/v9","kind":"Widget"}`, {}).message, /^no kind "Widget" is registered for version "fixtures.example.com\/v9"/);
      assert.match(decodeError(scheme, `{"apiVersion":"${GROUP}/v1"}`, {}).message, /^Object 'Kind' is missing in /);
      assert.match(decodeError(scheme, '{"apiVersion":1,"kind":"Widget"}').message, /cannot unmarshal number into Go struct field .apiVersion of type string/);
    });

    it('refuses a value of the wrong type, naming the field', () => {
      const err = decodeError(scheme, `{"apiVersion":"${GROUP}/v1","kind":"Widget","spec":{"ports":[{"name":"a","port":"80"}]}}`);
      assert.equal(
        err.message,
        'Widget in version "v1" cannot be handled as a Widget: json: cannot unmarshal string into Go struct field WidgetPort.spec.ports[0].port of type int32',
      );
      assert.equal(err.status.details?.causes?.[0].field, 'spec.ports[0].port');
      const cases: [string, RegExp][] = [
        ['"spec": {"replicas": 1.5}', /cannot unmarshal number 1.5 into Go struct field WidgetSpec.spec.replicas of type int64/],
        ['"spec": {"dimensions": "big"}', /cannot unmarshal string into Go struct field WidgetSpec.spec.dimensions of type WidgetDimensions/],
        ['"spec": {"ports": {}}', /cannot unmarshal object into Go struct field WidgetSpec.spec.ports of type \[\]WidgetPort/],
        ['"spec": {"selector": {"a": 1}}', /cannot unmarshal number into Go struct field WidgetSpec.spec.selector.a of type string/],
        ['"metadata": {"labels": []}', /cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map\[string\]string/],
        ['"spec": true', /cannot unmarshal bool into Go struct field Widget.spec of type WidgetSpec/],
      ];
      for (const [fragment, message] of cases) {
        assert.match(decodeError(scheme, `{"apiVersion":"${GROUP}/v1","kind":"Widget",${fragment}}`).message, message);
      }
    });

    it('does not treat range, enum or pattern violations as decode errors', () => {
      const { object } = scheme.decode(`{"apiVersion":"${GROUP}/v1","kind":"Widget","spec":{"color":"purple","replicas":-4}}`);
      assert.equal((object as v1.Widget).spec?.color, 'purple');
    });

    it('leaves fields that are null unset', () => {
      const { object } = scheme.decode(`{"apiVersion":"${GROUP}/v1","kind":"Widget","metadata":{"labels":null},"spec":null}`);
      assert.equal(object.metadata.labels, undefined);
      assert.equal((object as v1.Widget).spec, undefined);
    });
  });

  describe('plain and encoded forms', () => {
    it('fromPlain builds a typed, defaulted object and toPlain omits undefined fields', () => {
      const obj = scheme.fromPlain({ apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: 'p' }, spec: { color: 'red' } }) as v1.Widget;
      assert.ok(obj.spec instanceof v1.WidgetSpec);
      assert.equal(obj.spec.replicas, 1);
      obj.spec.color = undefined;
      assert.deepEqual(scheme.toPlain(obj), { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: 'p' }, spec: { replicas: 1 } });
    });

    it('newObject gives an empty object of the kind', () => {
      const obj = scheme.newObject(V1);
      assert.ok(obj instanceof v1.Widget);
      assert.deepEqual(scheme.toPlain(obj), { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: {} });
      assert.deepEqual(scheme.kindOf(obj), V1);
    });

    it('encodes to JSON and YAML that decode back to the same object', () => {
      const { object } = scheme.decode(JSON_BODY);
      const json = scheme.encode(object, 'application/json');
      const yaml = scheme.encode(object, 'application/yaml');
      assert.match(json, /^\{"apiVersion":"fixtures.example.com\/v1","kind":"Widget",/);
      assert.match(yaml, /^apiVersion: fixtures.example.com\/v1\nkind: Widget\n/);
      assert.deepEqual(scheme.decode(yaml).object, object);
      assert.deepEqual(scheme.decode(json).object, object);
    });

    it('sets apiVersion and kind from the class, whatever the object says', () => {
      const obj = scheme.newObject(V1);
      obj.apiVersion = 'wrong/v0';
      obj.kind = 'Nope';
      const plain = scheme.toPlain(obj);
      assert.equal(plain.apiVersion, `${GROUP}/v1`);
      assert.equal(plain.kind, 'Widget');
    });
  });
});
