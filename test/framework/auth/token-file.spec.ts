import assert from 'node:assert/strict';
import { parseCSV } from '../../../src/framework/auth/csv';
import { parseTokenFile } from '../../../src/framework/auth/token-file';

describe('auth/token-file', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    assert.deepEqual(parseCSV('a,"b,c","say ""hi""","two\nlines"\r\nx,y\n\n'), [
      { line: 1, fields: ['a', 'b,c', 'say "hi"', 'two\nlines'] },
      { line: 3, fields: ['x', 'y'] },
    ]);
    assert.throws(() => parseCSV('a,"unterminated\n'), /line 1: extraneous or missing "/);
  });

  it('maps tokens to users, groups split on commas, extra columns ignored', () => {
    const users = parseTokenFile('t1,alice,1001,"devs, ops",ignored\nt2,bob,1002\n', 'tokens.csv');
    assert.deepEqual(users.get('t1'), { username: 'alice', uid: '1001', groups: ['devs', 'ops'] });
    assert.deepEqual(users.get('t2'), { username: 'bob', uid: '1002', groups: [] });
  });

  it('skips empty tokens and lets a repeated token take the later row, with warnings', () => {
    const warnings: string[] = [];
    const users = parseTokenFile(',nobody,1\nt,first,2\nt,second,3\n', 'tokens.csv', (w) => warnings.push(w));
    assert.deepEqual([...users.keys()], ['t']);
    assert.equal(users.get('t')?.username, 'second');
    assert.deepEqual(warnings, [
      "empty token has been found in token file 'tokens.csv', record number '1'",
      "duplicate token has been found in token file 'tokens.csv', record number '3'",
    ]);
  });

  it('refuses rows of fewer than three columns, in kube-apiserver words', () => {
    assert.throws(() => parseTokenFile('t,alice\n', 'tokens.csv'), /^Error: token file 'tokens.csv' must have at least 3 columns \(token, user name, user uid\), found 2$/);
  });
});
