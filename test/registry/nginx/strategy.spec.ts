/**
 * The strategies check the declared schema (types, ranges, enums, patterns,
 * required fields) and the group's rules together; status writes are checked
 * against the status schema.
 */
import assert from 'node:assert/strict';
import { newRequestContext, type FieldError } from '../../../src/index';
import type { Endpoint, Upstream, VirtualServer } from '../../../src/apis/nginx/types';
import { newEndpointStrategy } from '../../../src/registry/nginx/endpoint/strategy';
import { newUpstreamStrategy } from '../../../src/registry/nginx/upstream/strategy';
import { newVirtualServerStrategy } from '../../../src/registry/nginx/virtualserver/strategy';
import { decodeToHub, endpointManifest, nginxScheme, upstreamManifest, virtualServerManifest } from '../../apis/nginx/fixtures';

const brief = (errors: FieldError[]) => errors.map((e) => `${e.type} ${e.field}`);

describe('registry/nginx: strategies', () => {
  const scheme = nginxScheme();
  const ctx = newRequestContext({ namespace: 'default' });

  it('Upstream: ports 1-65535, weights >= 1, known methods, nginx time values, and the group rules', () => {
    const strategy = newUpstreamStrategy(scheme);
    const obj = decodeToHub<Upstream>(
      scheme,
      upstreamManifest({
        servers: [
          { address: '10.0.0.1', port: 0, weight: 0 },
          { address: '10.0.0.2', port: 65536, failTimeout: 'soon' },
          { address: 'bad host', port: 80 },
        ],
        loadBalancing: { method: 'random' },
      }),
    );
    const errors = strategy.validate?.(ctx, obj) ?? [];
    assert.deepEqual(brief(errors), [
      'FieldValueInvalid spec.servers[0].port',
      'FieldValueInvalid spec.servers[0].weight',
      'FieldValueInvalid spec.servers[1].port',
      'FieldValueInvalid spec.servers[1].failTimeout',
      'FieldValueNotSupported spec.loadBalancing.method',
      'FieldValueInvalid spec.servers[2].address',
    ]);
    assert.match(errors[0].detail ?? '', /greater than or equal to 1/);
    assert.match(errors[2].detail ?? '', /less than or equal to 65535/);
    assert.deepEqual(brief(strategy.validateUpdate?.(ctx, obj, obj) ?? []), brief(errors));
  });

  it('Upstream: a v1beta1 server without a port is missing spec.servers[0].port', () => {
    const obj = decodeToHub<Upstream>(scheme, upstreamManifest({ servers: [{ address: 'backend.example.com' }] }, 'v1beta1'));
    assert.deepEqual(brief(newUpstreamStrategy(scheme).validate?.(ctx, obj) ?? []), ['FieldValueRequired spec.servers[0].port']);
  });

  it('Upstream: status writes are checked against the status schema', () => {
    const obj = decodeToHub<Upstream>(scheme, upstreamManifest({ servers: [{ address: '10.0.0.1', port: 80 }] }));
    obj.status = { conditions: [{ type: 'Programmed', status: 'Maybe' as 'True' }] };
    assert.deepEqual(brief(newUpstreamStrategy(scheme).validateStatusUpdate?.(ctx, obj, obj) ?? []), ['FieldValueNotSupported status.conditions[0].status']);
  });

  it('Endpoint: port range and address', () => {
    const obj = decodeToHub<Endpoint>(scheme, endpointManifest({ address: '-bad-', port: 70000 }));
    assert.deepEqual(brief(newEndpointStrategy(scheme).validate?.(ctx, obj) ?? []), ['FieldValueInvalid spec.port', 'FieldValueInvalid spec.address']);
  });

  it('VirtualServer: port range, match and redirect code enums; a missing Upstream is no error', () => {
    const obj = decodeToHub<VirtualServer>(
      scheme,
      virtualServerManifest({
        port: 0,
        locations: [
          { path: '/', match: 'glob', upstream: 'does-not-exist' },
          { path: '/old', redirect: { url: '/new', code: 300 } },
        ],
      }),
    );
    assert.deepEqual(brief(newVirtualServerStrategy(scheme).validate?.(ctx, obj) ?? []), [
      'FieldValueInvalid spec.port',
      'FieldValueNotSupported spec.locations[0].match',
      'FieldValueNotSupported spec.locations[1].redirect.code',
    ]);
  });
});
