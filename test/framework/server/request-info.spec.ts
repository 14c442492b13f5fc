import assert from 'node:assert/strict';
import { parseRequestInfo, type ResourceRequestInfo } from '../../../src/framework/server/request-info';

const info = (method: string, path: string, query = '') => parseRequestInfo(method, path, new URLSearchParams(query)) as ResourceRequestInfo;

describe('server: request info of lists and watches of one object by field selector', () => {
  it('names the object a metadata.name field selector pins down, as kube-apiserver does for authorization', () => {
    const list = info('GET', '/api/v1/namespaces/kube-system/configmaps', 'fieldSelector=metadata.name%3Dextension-apiserver-authentication');
    assert.deepEqual([list.verb, list.namespace, list.resource, list.name], ['list', 'kube-system', 'configmaps', 'extension-apiserver-authentication']);
    const watch = info('GET', '/api/v1/namespaces/kube-system/configmaps', 'watch=true&fieldSelector=metadata.name%3D%3Dcm');
    assert.deepEqual([watch.verb, watch.name], ['watch', 'cm']);
  });

  it('names nothing for other selectors, several terms, or other verbs', () => {
    assert.equal(info('GET', '/api/v1/configmaps', 'fieldSelector=metadata.namespace%3Ddefault').name, '');
    assert.equal(info('GET', '/api/v1/configmaps', 'fieldSelector=metadata.name%3Da,metadata.namespace%3Db').name, '');
    assert.equal(info('GET', '/api/v1/configmaps', 'fieldSelector=metadata.name!%3Da').name, '');
    const deleteCollection = info('DELETE', '/api/v1/namespaces/default/configmaps', 'fieldSelector=metadata.name%3Da');
    assert.deepEqual([deleteCollection.verb, deleteCollection.name], ['deletecollection', '']);
  });
});
