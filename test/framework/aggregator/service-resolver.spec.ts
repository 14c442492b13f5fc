import assert from 'node:assert/strict';
import { staticServiceResolver, takeServiceEndpointFlags } from '../../../src/framework/aggregator';

describe('service resolver', () => {
  it('takes --service-endpoint flags out of the command line and leaves the rest', () => {
    const { endpoints, rest } = takeServiceEndpointFlags(['--secure-port', '6443', '--service-endpoint', 'ns/api=127.0.0.1:8443', '--service-endpoint=ns/other=[::1]:9443', '--data-dir', '/tmp/x']);
    assert.deepEqual(endpoints, { 'ns/api': '127.0.0.1:8443', 'ns/other': '[::1]:9443' });
    assert.deepEqual(rest, ['--secure-port', '6443', '--data-dir', '/tmp/x']);
    assert.throws(() => takeServiceEndpointFlags(['--service-endpoint', 'api=127.0.0.1']), /is not <namespace>\/<name>=<host>:<port>/);
  });

  it('dials listed services at their address and others by cluster DNS name only when told to', () => {
    const endpoints = { 'ns/api': '127.0.0.1:8443' };
    assert.equal(staticServiceResolver(endpoints).resolve({ namespace: 'ns', name: 'api', port: 443 })?.href, 'https://127.0.0.1:8443/');
    assert.equal(staticServiceResolver(endpoints).resolve({ namespace: 'ns', name: 'other', port: 443 }), undefined);
    assert.equal(staticServiceResolver(endpoints, { clusterDNS: true }).resolve({ namespace: 'ns', name: 'other', port: 8443 })?.href, 'https://other.ns.svc:8443/');
  });
});
