import assert from 'node:assert/strict';
import { isStatusError, parseFieldSelector } from '../../../src/framework/api';

describe('api/fields', () => {
  it('parses a conjunction of =, == and != terms', () => {
    const selector = parseFieldSelector('metadata.name=a,status.phase!=Done,spec.node==n1');
    assert.deepEqual(selector.requirements, [
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'status.phase', operator: '!=', value: 'Done' },
      { field: 'spec.node', operator: '==', value: 'n1' },
    ]);
    assert.equal(selector.empty, false);
    assert.equal(selector.toString(), 'metadata.name=a,status.phase!=Done,spec.node==n1');
  });

  it('matches fields, an absent field counting as empty', () => {
    const selector = parseFieldSelector('metadata.name=a,status.phase!=Done');
    assert.equal(selector.matches({ 'metadata.name': 'a', 'status.phase': 'Running' }), true);
    assert.equal(selector.matches({ 'metadata.name': 'a', 'status.phase': 'Done' }), false);
    assert.equal(selector.matches({ 'metadata.name': 'b' }), false);
    assert.equal(parseFieldSelector('spec.x=').matches({}), true);
    assert.equal(parseFieldSelector('').empty, true);
    assert.equal(parseFieldSelector('').matches({}), true);
  });

  it('unescapes values and escapes them back', () => {
    const selector = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,x=y');
    assert.deepEqual(selector.requirements[0], { field: 'metadata.name', operator: '=', value: 'a,b=c\\d' });
    assert.equal(selector.toString(), 'metadata.name=a\\,b\\=c\\\\d,x=y');
  });

  it('refuses what it cannot understand with a 400', () => {
    const cases: [string, string][] = [
      ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
      ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
      ['a=b=c', 'invalid field selector: unescaped character "="'],
      ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ];
    for (const [input, message] of cases) {
      assert.throws(
        () => parseFieldSelector(input),
        (err: unknown) => isStatusError(err) && err.code === 400 && err.message === message,
        input,
      );
    }
  });
});
