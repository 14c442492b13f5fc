/**
 * Field sets and their FieldsV1 form: the trie kube-apiserver writes in
 * managedFields, exact membership, and paths printed as conflicts print them.
 */
import assert from 'node:assert/strict';
import { fieldElement, formatPath, keyElement, parseElement, valueElement } from '../../../../src/framework/endpoints/fieldmanager/field-path';
import { FieldSet } from '../../../../src/framework/endpoints/fieldmanager/field-set';

/** The managedFields entry of wire-protocol.md §4.7. */
const REFERENCE_FIELDS_V1 = {
  'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
  'f:spec': { 'f:replicas': {}, 'f:items': { 'k:{"name":"one"}': { '.': {}, 'f:name': {}, 'f:value': {} } } },
};

const f = fieldElement;

describe('fieldmanager/FieldSet', () => {
  it('reads the FieldsV1 trie: leaves, and "." for a node that is itself a member', () => {
    const set = FieldSet.fromFieldsV1(REFERENCE_FIELDS_V1);
    assert.deepEqual(
      set.paths().map(formatPath),
      ['.metadata.labels', '.metadata.labels.app', '.spec.replicas', '.spec.items[name="one"]', '.spec.items[name="one"].name', '.spec.items[name="one"].value'],
    );
    assert.ok(!set.has([f('spec')]), 'a node with children only is no member');
  });

  it('writes FieldsV1 as kube-apiserver does: "." first, then fields, keys, values and indexes, each sorted', () => {
    const set = FieldSet.fromFieldsV1(REFERENCE_FIELDS_V1);
    assert.equal(
      JSON.stringify(set.toFieldsV1()),
      '{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:items":{"k:{\\"name\\":\\"one\\"}":{".":{},"f:name":{},"f:value":{}}},"f:replicas":{}}}',
    );
    const mixed = FieldSet.of([[f('z'), valueElement('b')], [f('z'), valueElement('a')], [f('z'), 'i:2'], [f('z'), keyElement({ port: 80, name: 'x' })], [f('z'), f('y')]]);
    assert.deepEqual(Object.keys(mixed.toFieldsV1()['f:z'] as object), ['f:y', 'k:{"name":"x","port":80}', 'v:"a"', 'v:"b"', 'i:2']);
  });

  it('spells list-map keys canonically, whatever order a client wrote them in', () => {
    assert.equal(parseElement('k:{"port":80, "name":"x"}'), keyElement({ name: 'x', port: 80 }));
    assert.equal(parseElement('k:{"port":80, "name":"x"}'), 'k:{"name":"x","port":80}');
    assert.throws(() => FieldSet.fromFieldsV1({ 'x:bad': {} }), /unknown path element/);
  });

  it('keeps membership exact: difference removes paths, recursiveDifference also what lies below them', () => {
    const set = FieldSet.of([[f('spec')], [f('spec'), f('size')], [f('status'), f('phase')]]);
    const spec = FieldSet.of([[f('spec')]]);
    assert.deepEqual(set.difference(spec).paths().map(formatPath), ['.spec.size', '.status.phase']);
    assert.deepEqual(set.recursiveDifference(spec).paths().map(formatPath), ['.status.phase']);
    assert.deepEqual(set.intersection(FieldSet.of([[f('spec'), f('size')], [f('other')]])).paths().map(formatPath), ['.spec.size']);
    assert.ok(set.difference(set).isEmpty());
  });

  it('prints paths as conflicts name them', () => {
    assert.equal(formatPath([f('spec'), keyElement({ name: 'one' }), f('value')]), '.spec[name="one"].value');
    assert.equal(formatPath([f('metadata'), f('finalizers'), valueElement('example.com/x')]), '.metadata.finalizers[="example.com/x"]');
    assert.equal(formatPath([f('ports'), keyElement({ port: 80, protocol: 'TCP' })]), '.ports[port=80,protocol="TCP"]');
    assert.equal(formatPath([f('args'), 'i:3']), '.args[3]');
  });
});
