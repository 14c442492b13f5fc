import assert from 'node:assert/strict';
import { isStatusError, labelSelectorFromObject, parseLabelSelector } from '../../../src/framework/api';

function parseError(s: string): string {
  try {
    parseLabelSelector(s);
  } catch (err) {
    assert.ok(isStatusError(err));
    assert.equal(err.code, 400);
    return err.message;
  }
  assert.fail(`"${s}" parsed`);
}

describe('api/labels', () => {
  describe('parseLabelSelector', () => {
    it('parses equality and set-based requirements, sorted by key', () => {
      const selector = parseLabelSelector('tier notin (b, a), app==web,env in (prod,qa,prod), !legacy, release, version!=2, size>3, age<10, x=');
      assert.deepEqual(selector.requirements, [
        { key: 'age', operator: 'lt', values: ['10'] },
        { key: 'app', operator: '==', values: ['web'] },
        { key: 'env', operator: 'in', values: ['prod', 'qa'] },
        { key: 'legacy', operator: '!', values: [] },
        { key: 'release', operator: 'exists', values: [] },
        { key: 'size', operator: 'gt', values: ['3'] },
        { key: 'tier', operator: 'notin', values: ['a', 'b'] },
        { key: 'version', operator: '!=', values: ['2'] },
        { key: 'x', operator: '=', values: [''] },
      ]);
      assert.equal(selector.toString(), 'age<10,app==web,env in (prod,qa),!legacy,release,size>3,tier notin (a,b),version!=2,x=');
      assert.equal(selector.empty, false);
    });

    it('is empty for an empty string and matches everything then', () => {
      const selector = parseLabelSelector('  ');
      assert.equal(selector.empty, true);
      assert.equal(selector.matches(undefined), true);
    });

    it('matches labels as kube does', () => {
      const cases: [string, Record<string, string> | undefined, boolean][] = [
        ['app=web', { app: 'web' }, true],
        ['app=web', { app: 'db' }, false],
        ['app=web', undefined, false],
        ['app!=web', {}, true],
        ['app!=web', { app: 'web' }, false],
        ['env in (a,b)', { env: 'b' }, true],
        ['env notin (a,b)', { env: 'c' }, true],
        ['env notin (a,b)', {}, true],
        ['env', { env: '' }, true],
        ['!env', { env: '' }, false],
        ['!env', { other: 'x' }, true],
        ['n>5', { n: '6' }, true],
        ['n>5', { n: 'six' }, false],
        ['n<5', { n: '-1' }, true],
        ['app=web,tier=db', { app: 'web', tier: 'db' }, true],
        ['app=web,tier=db', { app: 'web' }, false],
        ['k in (a, in, notin)', { k: 'notin' }, true],
      ];
      for (const [s, labels, expected] of cases) assert.equal(parseLabelSelector(s).matches(labels), expected, `${s} on ${JSON.stringify(labels)}`);
    });

    it("refuses bad syntax with kube's messages", () => {
      assert.equal(parseError('x ('), "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt");
      assert.equal(parseError('env IN (a)'), "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt");
      assert.equal(parseError('a=b,'), "found '', expected: identifier after ','");
      assert.equal(parseError('a=b c'), "found 'c', expected: ',' or 'end of string'");
      assert.equal(parseError('=a'), "found '=', expected: !, identifier, or 'end of string'");
      assert.equal(parseError('a in b'), "unable to parse requirement: found 'b' expected: '('");
      assert.equal(parseError('a in (b'), "unable to parse requirement: found '', expected: ',' or ')'");
      assert.equal(parseError('a in (b c)'), "unable to parse requirement: found 'c', expected: ',' or ')'");
      assert.equal(parseError('a in (=)'), "unable to parse requirement: found '=', expected: ',', ')' or identifier");
      assert.equal(parseError('!!a'), "unable to parse requirement: found '!', expected: identifier");
      assert.equal(parseError('a==(b)'), "unable to parse requirement: found '(', expected: identifier");
      assert.equal(parseError('a>x'), "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer");
      assert.equal(parseError('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
      assert.match(parseError('-bad=x'), /^unable to parse requirement: key: Invalid value: "-bad": name part must consist of alphanumeric characters/);
      assert.match(parseError('a=-x'), /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-x": a valid label must be an empty string/);
    });
  });

  describe('labelSelectorFromObject', () => {
    it('converts matchLabels and matchExpressions', () => {
      const selector = labelSelectorFromObject({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['front', 'back'] },
          { key: 'old', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists' },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
        ],
      });
      assert.equal(selector.toString(), 'app=web,env notin (dev),!old,tier in (back,front),zone');
      assert.equal(selector.matches({ app: 'web', tier: 'front', zone: 'z1' }), true);
      assert.equal(selector.matches({ app: 'web', tier: 'front', zone: 'z1', old: 'y' }), false);
    });

    it('matches everything when empty and refuses unknown operators and bad values', () => {
      assert.equal(labelSelectorFromObject({}).empty, true);
      assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Near', values: [] }] }), {
        message: '"Near" is not a valid label selector operator',
      });
      assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
        message: "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
      });
      assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), /values set must be empty/);
    });
  });
});
