/**
 * Every version to internal and back is lossless, v1beta1's `host:port` servers
 * split into address and port on the way in, and decoding spells out the defaults.
 */
import assert from 'node:assert/strict';
import { INTERNAL_VERSION } from '../../../src/index';
import { GROUP, type Upstream } from '../../../src/apis/nginx/types';
import { decodeToHub, nginxScheme, upstreamManifest, virtualServerManifest } from './fixtures';

const v1 = (kind: string) => ({ group: GROUP, version: 'v1', kind });
const v1beta1 = (kind: string) => ({ group: GROUP, version: 'v1beta1', kind });
const hub = (kind: string) => ({ group: GROUP, version: INTERNAL_VERSION, kind });

const fullSpec = {
  servers: [
    { address: '10.0.0.7', port: 8080, weight: 3, maxFails: 2, failTimeout: '10s', backup: false, down: false },
    { address: 'backend.example.com', port: 80, weight: 1, backup: true },
    { address: '2001:db8::1', port: 443, weight: 1, down: true },
  ],
  loadBalancing: { method: 'least_conn' },
  keepalive: 16,
  endpointSelector: { matchLabels: { app: 'shop' }, matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] },
};

describe('apis/nginx: conversion and defaults', () => {
  const scheme = nginxScheme();

  it('v1 → v1beta1 → v1 keeps every field', () => {
    const original = scheme.fromPlain(upstreamManifest(fullSpec));
    const back = scheme.convert(scheme.convert(original, v1beta1('Upstream')), v1('Upstream'));
    assert.deepEqual(scheme.toPlain(back), scheme.toPlain(original));
  });

  it('v1beta1 → v1 → v1beta1 keeps every field', () => {
    const beta = {
      ...fullSpec,
      servers: [
        { address: '10.0.0.7:8080', weight: 3, maxFails: 2, failTimeout: '10s' },
        { address: 'backend.example.com:80', weight: 1, backup: true },
        { address: '[2001:db8::1]:443', weight: 1, down: true },
      ],
    };
    const original = scheme.fromPlain(upstreamManifest(beta, 'v1beta1'));
    const back = scheme.convert(scheme.convert(original, v1('Upstream')), v1beta1('Upstream'));
    assert.deepEqual(scheme.toPlain(back), scheme.toPlain(original));
  });

  it('splits v1beta1 host:port into address and port (IPv6 in brackets) and joins them back', () => {
    const beta = scheme.fromPlain(upstreamManifest({ servers: [{ address: '10.0.0.7:8080' }, { address: '[::1]:80' }] }, 'v1beta1'));
    const internal = scheme.convert(beta, hub('Upstream')) as Upstream;
    assert.deepEqual(
      internal.spec?.servers?.map((s) => [s.address, s.port]),
      [
        ['10.0.0.7', 8080],
        ['::1', 80],
      ],
    );
    const asV1 = scheme.toPlain(scheme.convert(beta, v1('Upstream'))) as { spec: { servers: unknown[] } };
    assert.deepEqual(asV1.spec.servers, [
      { address: '10.0.0.7', port: 8080, weight: 1 },
      { address: '::1', port: 80, weight: 1 },
    ]);
  });

  it('converts plain JSON between versions the same way (what the handlers use)', () => {
    const plain = scheme.convertPlain(upstreamManifest({ servers: [{ address: 'a.example.com', port: 81 }] }), v1beta1('Upstream'));
    assert.deepEqual((plain.spec as { servers: unknown[] }).servers, [{ address: 'a.example.com:81', weight: 1 }]);
    assert.equal(plain.apiVersion, `${GROUP}/v1beta1`);
  });

  it('leaves a v1beta1 address without a port whole, for validation to report', () => {
    const internal = decodeToHub<Upstream>(scheme, upstreamManifest({ servers: [{ address: 'backend.example.com' }] }, 'v1beta1'));
    assert.equal(internal.spec?.servers?.[0].address, 'backend.example.com');
    assert.equal(internal.spec?.servers?.[0].port, undefined);
  });

  it('decoding fills in the defaults: round_robin, weight 1, port 80, prefix match, 302 redirects', () => {
    const ups = scheme.toPlain(scheme.decode(JSON.stringify(upstreamManifest({ servers: [{ address: '10.0.0.1', port: 80 }] }))).object);
    assert.deepEqual(ups.spec, { servers: [{ address: '10.0.0.1', port: 80, weight: 1 }], loadBalancing: { method: 'round_robin' } });
    const vs = scheme.toPlain(
      scheme.decode(JSON.stringify(virtualServerManifest({ locations: [{ path: '/', upstream: 'web' }, { path: '/old', redirect: { url: '/new' } }] }))).object,
    );
    assert.deepEqual(vs.spec, {
      port: 80,
      locations: [
        { path: '/', match: 'prefix', upstream: 'web' },
        { path: '/old', match: 'prefix', redirect: { url: '/new', code: 302 } },
      ],
    });
  });
});
