import assert from 'node:assert/strict';
import { proxiedRequestHeaders } from '../../../src/framework/aggregator/front-proxy-headers';

describe('front-proxy headers', () => {
  const user = { username: 'jane', uid: 'u-1', groups: ['dev', 'system:authenticated'], extra: { 'scopes.example.com/Team': ['a', 'b'] } };

  it("drop the client's credentials, identity and impersonation headers and name the authenticated user instead", () => {
    const headers = proxiedRequestHeaders(
      {
        accept: 'application/json',
        authorization: 'Bearer secret',
        'x-remote-user': 'admin',
        'x-remote-group': 'system:masters',
        'x-remote-extra-foo': 'bar',
        'impersonate-user': 'admin',
        connection: 'keep-alive',
        host: 'aggregator:6443',
      },
      user,
      'backend:8443',
    );
    assert.deepEqual(headers, {
      accept: 'application/json',
      'X-Remote-User': 'jane',
      'X-Remote-Uid': 'u-1',
      'X-Remote-Group': ['dev', 'system:authenticated'],
      'X-Remote-Extra-scopes.example.com%2FTeam': ['a', 'b'],
      host: 'backend:8443',
    });
  });
});
