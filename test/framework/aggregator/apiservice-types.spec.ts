import assert from 'node:assert/strict';
import { APIService, APIServiceV1 } from '../../../src/framework/aggregator';
import { TableConvertor } from '../../../src/framework/endpoints/table';
import { Scheme } from '../../../src/framework/runtime';

const scheme = new Scheme().addKnownTypes(APIService, APIServiceV1);
const table = new TableConvertor(scheme.resourceInfo({ group: 'apiregistration.k8s.io', version: 'v1', resource: 'apiservices' })!.printerColumns);

/** SERVICE and AVAILABLE of an APIService with this service and Available condition. */
function row(service: object | undefined, available?: { status: string; reason?: string }): unknown[] {
  const obj = {
    metadata: { name: 'v1.a.io', creationTimestamp: new Date().toISOString() },
    spec: { group: 'a.io', version: 'v1', service },
    status: { conditions: available ? [{ type: 'Available', ...available }] : [] },
  };
  return table.convert([obj], { apiVersion: 'meta.k8s.io/v1', includeObject: 'None' }).rows[0].cells.slice(1, 3);
}

describe('APIService Table columns', () => {
  it('names the service as <namespace>/<name>, or Local when there is none', () => {
    assert.deepEqual(row({ namespace: 'nginx-system', name: 'api', port: 443 }, { status: 'True', reason: 'Passed' }), ['nginx-system/api', 'True']);
    assert.deepEqual(row(undefined, { status: 'True', reason: 'Local' }), ['Local', 'True']);
  });

  it('gives the reason an APIService is not available, and Unknown before it was checked', () => {
    const service = { namespace: 'nginx-system', name: 'api' };
    assert.deepEqual(row(service, { status: 'False', reason: 'FailedDiscoveryCheck' }), ['nginx-system/api', 'False (FailedDiscoveryCheck)']);
    assert.deepEqual(row(service, { status: 'False' }), ['nginx-system/api', 'False']);
    assert.deepEqual(row(service, { status: 'Unknown', reason: 'Pending' }), ['nginx-system/api', 'Unknown (Pending)']);
    assert.deepEqual(row(service), ['nginx-system/api', 'Unknown']);
  });
});
