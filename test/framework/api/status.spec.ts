import assert from 'node:assert/strict';
import { newInvalid, newNotFound, isNotFound, StatusError } from '../../../src/framework/api/status';

describe('api/status', () => {
  it('words NotFound as kube-apiserver does', () => {
    const err = newNotFound({ group: 'nginx.example.com', resource: 'upstreams' }, 'web');
    assert.equal(err.status.message, 'upstreams.nginx.example.com "web" not found');
    assert.equal(err.code, 404);
    assert.ok(isNotFound(err));
  });

  it('lists every field error of an Invalid with its cause', () => {
    const err: StatusError = newInvalid({ group: 'nginx.example.com', kind: 'Upstream' }, 'web', [
      { type: 'FieldValueInvalid', field: 'spec.servers[0].port', value: 70000, detail: 'must be between 1 and 65535, inclusive' },
      { type: 'FieldValueRequired', field: 'spec.servers[1].address' },
    ]);
    assert.equal(err.code, 422);
    assert.equal(
      err.status.message,
      'Upstream.nginx.example.com "web" is invalid: [spec.servers[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.servers[1].address: Required value]',
    );
    assert.deepEqual(err.status.details?.causes?.map((c) => c.field), ['spec.servers[0].port', 'spec.servers[1].address']);
  });
});
