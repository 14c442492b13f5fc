import assert from 'node:assert/strict';
import { parseRunOptions } from '../../../src/framework/server/options';

describe('server/options --workers', () => {
  it('serves from one process unless told otherwise', () => {
    assert.equal(parseRunOptions([]).workers, 1);
    assert.equal(parseRunOptions(['--workers', '3']).workers, 3);
    assert.equal(parseRunOptions(['--workers=2']).workers, 2);
  });

  it('refuses zero workers and what is not a count', () => {
    assert.throws(() => parseRunOptions(['--workers', '0']), /--workers needs at least 1/);
    assert.throws(() => parseRunOptions(['--workers', 'two']), /--workers needs a non-negative integer/);
  });
});
