import assert from 'node:assert/strict';
import { encodeOnce, withEncodingSlot } from '../../../src/framework/storage/cacher/encode-once';

describe('storage/cacher encodeOnce', () => {
  const counting = () => {
    const calls = { n: 0 };
    return { calls, encode: (value: object) => () => (calls.n++, Buffer.from(JSON.stringify(value))) };
  };

  it('encodes a frozen object once per encoding, whether or not it got a slot before freezing', () => {
    for (const target of [Object.freeze(withEncodingSlot({ a: 1 })), Object.freeze({ a: 1 })]) {
      const { calls, encode } = counting();
      const first = encodeOnce(target, 'v1;json', encode(target));
      assert.equal(encodeOnce(target, 'v1;json', encode(target)), first, 'the same Buffer again');
      encodeOnce(target, 'v2;json', encode(target));
      assert.equal(calls.n, 2, 'once per encoding');
      assert.equal(first.toString(), '{"a":1}');
    }
  });

  it('encodes an object that is not frozen every time, since it may change', () => {
    const target = withEncodingSlot({ a: 1 });
    const { calls, encode } = counting();
    encodeOnce(target, 'v1;json', encode(target));
    encodeOnce(target, 'v1;json', encode(target));
    assert.equal(calls.n, 2);
  });

  it('leaves no trace of the slot in JSON, keys, spreads or clones', () => {
    const target = Object.freeze(withEncodingSlot({ a: 1, b: { c: 2 } }));
    encodeOnce(target, 'v1;json', () => Buffer.from('x'));
    assert.equal(JSON.stringify(target), '{"a":1,"b":{"c":2}}');
    assert.deepEqual(Object.keys(target), ['a', 'b']);
    assert.deepEqual({ ...target }, { a: 1, b: { c: 2 } });
    assert.deepEqual(structuredClone(target), { a: 1, b: { c: 2 } });
    assert.deepStrictEqual(target, { a: 1, b: { c: 2 } });
  });

  it('accepts an object that is frozen already or has a slot already', () => {
    const frozen = Object.freeze({ a: 1 });
    assert.equal(withEncodingSlot(frozen), frozen);
    const slotted = withEncodingSlot({ a: 1 });
    assert.equal(withEncodingSlot(slotted), slotted);
  });
});
