/** The group's own rules, each reported at the field it is about. */
import assert from 'node:assert/strict';
import type { FieldError } from '../../../src/index';
import type { Endpoint, Upstream, VirtualServer } from '../../../src/apis/nginx/types';
import { validateEndpointSpec, validateUpstreamSpec, validateVirtualServerSpec } from '../../../src/apis/nginx/validation';
import { decodeToHub, endpointManifest, nginxScheme, upstreamManifest, virtualServerManifest } from './fixtures';

const brief = (errors: FieldError[]) => errors.map((e) => `${e.type} ${e.field}`);

describe('apis/nginx: validation', () => {
  const scheme = nginxScheme();
  const upstream = (spec: Record<string, unknown>) => validateUpstreamSpec(decodeToHub<Upstream>(scheme, upstreamManifest(spec)).spec);
  const virtualServer = (spec: Record<string, unknown>) => validateVirtualServerSpec(decodeToHub<VirtualServer>(scheme, virtualServerManifest(spec)).spec);

  describe('Upstream', () => {
    it('accepts IP addresses and host names', () => {
      assert.deepEqual(
        upstream({
          servers: [
            { address: '10.0.0.1', port: 80 },
            { address: '2001:db8::1', port: 80 },
            { address: 'backend-1.example.com', port: 80 },
          ],
        }),
        [],
      );
    });

    it('rejects addresses that are neither, at the server that has one', () => {
      const errors = upstream({ servers: [{ address: '10.0.0.1', port: 80 }, { address: 'Bad_Host!', port: 80 }] });
      assert.deepEqual(brief(errors), ['FieldValueInvalid spec.servers[1].address']);
      assert.match(errors[0].detail ?? '', /IP address or a host name/);
    });

    it('reports the second entry of an address and port as a duplicate (the merge key)', () => {
      const errors = upstream({
        servers: [
          { address: '10.0.0.1', port: 80 },
          { address: '10.0.0.1', port: 81 },
          { address: '10.0.0.1', port: 80, weight: 5 },
        ],
      });
      assert.deepEqual(brief(errors), ['FieldValueDuplicate spec.servers[2]']);
      assert.equal(errors[0].value, '10.0.0.1:80');
    });

    it('needs servers or an endpointSelector', () => {
      assert.deepEqual(brief(upstream({})), ['FieldValueRequired spec.servers']);
      assert.deepEqual(upstream({ endpointSelector: { matchLabels: { app: 'web' } } }), []);
    });

    it('needs a key for method hash and allows key and consistent only with it', () => {
      assert.deepEqual(brief(upstream({ servers: [{ address: '10.0.0.1', port: 80 }], loadBalancing: { method: 'hash' } })), [
        'FieldValueRequired spec.loadBalancing.key',
      ]);
      assert.deepEqual(upstream({ servers: [{ address: '10.0.0.1', port: 80 }], loadBalancing: { method: 'hash', key: '$request_uri', consistent: true } }), []);
      assert.deepEqual(
        brief(upstream({ servers: [{ address: '10.0.0.1', port: 80 }], loadBalancing: { method: 'least_conn', key: '$request_uri', consistent: true } })),
        ['FieldValueForbidden spec.loadBalancing.key', 'FieldValueForbidden spec.loadBalancing.consistent'],
      );
    });

    it('forbids backup servers with hash and ip_hash, which nginx refuses', () => {
      const servers = [
        { address: '10.0.0.1', port: 80 },
        { address: '10.0.0.2', port: 80, backup: true },
      ];
      assert.deepEqual(brief(upstream({ servers, loadBalancing: { method: 'ip_hash' } })), ['FieldValueForbidden spec.servers[1].backup']);
      assert.deepEqual(upstream({ servers, loadBalancing: { method: 'least_conn' } }), []);
    });

    it('checks the endpointSelector as a label selector', () => {
      const errors = upstream({
        endpointSelector: {
          matchLabels: { 'bad key!': 'x' },
          matchExpressions: [
            { key: 'zone', operator: 'In' },
            { key: 'tier', operator: 'Exists', values: ['x'] },
          ],
        },
      });
      assert.deepEqual(brief(errors), [
        'FieldValueInvalid spec.endpointSelector.matchLabels',
        'FieldValueRequired spec.endpointSelector.matchExpressions[0].values',
        'FieldValueForbidden spec.endpointSelector.matchExpressions[1].values',
      ]);
    });
  });

  describe('Endpoint', () => {
    it('checks the address', () => {
      const endpoint = (address: string) => validateEndpointSpec(decodeToHub<Endpoint>(scheme, endpointManifest({ address, port: 8080 })).spec);
      assert.deepEqual(endpoint('192.168.1.20'), []);
      assert.deepEqual(brief(endpoint('not an address')), ['FieldValueInvalid spec.address']);
    });
  });

  describe('VirtualServer', () => {
    it('accepts a typical server', () => {
      assert.deepEqual(
        virtualServer({
          serverNames: ['shop.example.com', '*.shop.example.com'],
          tls: { certificate: '/etc/nginx/tls/shop.crt', key: '/etc/nginx/tls/shop.key' },
          locations: [
            { path: '/', upstream: 'web', proxyHeaders: [{ name: 'X-Real-IP', value: '$remote_addr' }], timeouts: { read: '30s' } },
            { path: '/healthz', match: 'exact', return: { code: 200, body: 'ok' } },
            { path: '\\.php$', match: 'regex', return: { code: 404 } },
            { path: '/old', redirect: { url: 'https://shop.example.com/new', code: 301 } },
          ],
        }),
        [],
      );
    });

    it('needs exactly one of upstream, return and redirect per location', () => {
      const errors = virtualServer({
        locations: [{ path: '/a' }, { path: '/b', upstream: 'web', return: { code: 200 }, redirect: { url: '/c' } }],
      });
      assert.deepEqual(brief(errors), ['FieldValueRequired spec.locations[0]', 'FieldValueForbidden spec.locations[1].return', 'FieldValueForbidden spec.locations[1].redirect']);
    });

    it('allows proxy headers and timeouts only when proxying', () => {
      const errors = virtualServer({ locations: [{ path: '/', return: { code: 200 }, proxyHeaders: [{ name: 'X-A', value: '1' }], timeouts: { read: '5s' } }] });
      assert.deepEqual(brief(errors), ['FieldValueForbidden spec.locations[0].proxyHeaders', 'FieldValueForbidden spec.locations[0].timeouts']);
    });

    it('reports duplicate paths, names and headers, prefix paths without a slash, relative TLS files and bad host names', () => {
      const errors = virtualServer({
        serverNames: ['a.example.com', 'a.example.com', 'Not A Host'],
        tls: { certificate: 'tls/a.crt', key: '/etc/a.key' },
        locations: [
          { path: 'api', upstream: 'web', proxyHeaders: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] },
          { path: 'api', match: 'regex', upstream: 'Bad_Name' },
        ],
      });
      assert.deepEqual(brief(errors), [
        'FieldValueDuplicate spec.serverNames[1]',
        'FieldValueInvalid spec.serverNames[2]',
        'FieldValueInvalid spec.tls.certificate',
        'FieldValueInvalid spec.locations[0].path',
        'FieldValueDuplicate spec.locations[0].proxyHeaders[1].name',
        'FieldValueInvalid spec.locations[1].upstream',
        'FieldValueDuplicate spec.locations[1].path',
      ]);
    });

    it('needs at least one location', () => {
      assert.deepEqual(brief(virtualServer({ serverNames: ['a.example.com'] })), ['FieldValueRequired spec.locations']);
    });
  });
});
