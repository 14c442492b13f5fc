import assert from 'node:assert/strict';
import { filterSpecByPathPrefix, mergeSpecInto, type SwaggerJson } from '../../../src/framework/aggregator/openapi-v2-merge';

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const op = (schema: object) => ({ get: { responses: { '200': { description: 'OK', schema } } } });

describe('OpenAPI v2 merge', () => {
  const backend: SwaggerJson = {
    swagger: '2.0',
    paths: {
      '/apis/nginx.example.com/v1/': op(ref('APIResourceList')),
      '/apis/nginx.example.com/v1/upstreams': op(ref('UpstreamList')),
      '/api/v1/namespaces': op(ref('NamespaceList')),
    },
    definitions: {
      UpstreamList: { properties: { items: { type: 'array', items: ref('Upstream') }, metadata: ref('ListMeta') } },
      Upstream: { properties: { spec: { type: 'object' } } },
      ListMeta: { properties: { continue: { type: 'string' } } },
      APIResourceList: { type: 'object' },
      NamespaceList: { type: 'object' },
    },
  };

  it("keeps a backend's paths of its group version and the definitions they reach, directly or not", () => {
    const filtered = filterSpecByPathPrefix(backend, '/apis/nginx.example.com/v1/');
    assert.deepEqual(Object.keys(filtered.paths as object).sort(), ['/apis/nginx.example.com/v1/', '/apis/nginx.example.com/v1/upstreams']);
    assert.deepEqual(Object.keys(filtered.definitions as object).sort(), ['APIResourceList', 'ListMeta', 'Upstream', 'UpstreamList']);
  });

  it('lets paths already present win, shares equal definitions and renames different ones with their references', () => {
    const local: SwaggerJson = {
      swagger: '2.0',
      paths: { '/apis/nginx.example.com/v1/': op({ type: 'string' }), '/api/v1/namespaces': op(ref('NamespaceList')) },
      definitions: { ListMeta: { properties: { resourceVersion: { type: 'string' } } }, APIResourceList: { type: 'object' }, NamespaceList: { type: 'object' } },
    };
    mergeSpecInto(local, filterSpecByPathPrefix(backend, '/apis/nginx.example.com/v1/'));
    assert.deepEqual(local.paths, {
      '/apis/nginx.example.com/v1/': op({ type: 'string' }),
      '/api/v1/namespaces': op(ref('NamespaceList')),
      '/apis/nginx.example.com/v1/upstreams': op(ref('UpstreamList')),
    });
    assert.deepEqual(local.definitions, {
      ListMeta: { properties: { resourceVersion: { type: 'string' } } },
      APIResourceList: { type: 'object' },
      NamespaceList: { type: 'object' },
      UpstreamList: { properties: { items: { type: 'array', items: ref('Upstream') }, metadata: ref('ListMeta_v2') } },
      Upstream: { properties: { spec: { type: 'object' } } },
      ListMeta_v2: { properties: { continue: { type: 'string' } } },
    });
  });

  it('renames shared parameters the same way', () => {
    const local: SwaggerJson = { paths: {}, definitions: {}, parameters: { pretty: { name: 'pretty', in: 'query', type: 'string' } } };
    const remote: SwaggerJson = {
      paths: { '/apis/g/v1/things': { parameters: [{ $ref: '#/parameters/pretty' }], get: { responses: {} } } },
      parameters: { pretty: { name: 'pretty', in: 'query', type: 'boolean' } },
    };
    mergeSpecInto(local, filterSpecByPathPrefix(remote, '/apis/g/v1/'));
    assert.deepEqual((local.paths as Record<string, { parameters: unknown }>)['/apis/g/v1/things'].parameters, [{ $ref: '#/parameters/pretty_v2' }]);
    assert.deepEqual(Object.keys(local.parameters as object), ['pretty', 'pretty_v2']);
  });
});
