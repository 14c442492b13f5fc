import assert from 'node:assert/strict';
import type { APIService } from '../../../src/framework/aggregator';
import { validateAPIService } from '../../../src/framework/aggregator';

function apiService(name: string, spec: Partial<NonNullable<APIService['spec']>>): APIService {
  return { metadata: { name }, spec: { groupPriorityMinimum: 1000, versionPriority: 15, ...spec } } as APIService;
}

const fields = (obj: APIService) => validateAPIService(obj).map((e) => `${e.type} ${e.field}`);

describe('APIService validation', () => {
  it('accepts a complete APIService named <version>.<group>', () => {
    const obj = apiService('v1.nginx.example.com', { group: 'nginx.example.com', version: 'v1', service: { namespace: 'nginx-system', name: 'api', port: 443 }, caBundle: 'Zm9v' });
    assert.deepEqual(validateAPIService(obj), []);
  });

  it('names the core group\'s APIService "v1." as kube does', () => {
    assert.deepEqual(validateAPIService(apiService('v1.', { group: '', version: 'v1' })), []);
    assert.deepEqual(fields(apiService('v1', { group: '', version: 'v1' })), ['FieldValueInvalid metadata.name']);
  });

  it('refuses a name that is not <version>.<group>', () => {
    assert.deepEqual(fields(apiService('nginx.example.com', { group: 'nginx.example.com', version: 'v1' })), ['FieldValueInvalid metadata.name']);
  });

  it('refuses priorities out of range or missing', () => {
    const obj = apiService('v1.a.io', { group: 'a.io', version: 'v1', groupPriorityMinimum: 0, versionPriority: 1001 });
    assert.deepEqual(fields(obj), ['FieldValueInvalid spec.groupPriorityMinimum', 'FieldValueInvalid spec.versionPriority']);
    const missing = apiService('v1.a.io', { group: 'a.io', version: 'v1' });
    delete (missing.spec as { versionPriority?: number }).versionPriority;
    assert.deepEqual(fields(missing), ['FieldValueRequired spec.versionPriority']);
  });

  it('refuses an incomplete service reference and a CA bundle together with skipping verification', () => {
    const obj = apiService('v1.a.io', { group: 'a.io', version: 'v1', service: { namespace: 'x' }, caBundle: 'Zm9v', insecureSkipTLSVerify: true });
    assert.deepEqual(fields(obj), ['FieldValueRequired spec.service.name', 'FieldValueForbidden spec.insecureSkipTLSVerify']);
  });
});
