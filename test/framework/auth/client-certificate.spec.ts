import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { unionCABundle } from '../../../src/framework/auth/client-certificate';
import { createCertificate } from '../../../src/framework/server/pki/create-certificate';

describe('auth: unionCABundle', () => {
  it('answers the same array until one of its bundles changes, then the new union', async () => {
    const own = [new X509Certificate((await createCertificate({ usage: 'ca', commonName: 'own', validDays: 1 })).certPem)];
    const cluster = new X509Certificate((await createCertificate({ usage: 'ca', commonName: 'cluster', validDays: 1 })).certPem);
    let fromCluster: readonly X509Certificate[] = [];
    const union = unionCABundle([() => own, () => fromCluster]);
    const first = union();
    assert.deepEqual(first, own);
    assert.equal(union(), first, 'unchanged bundles give the same array, so verdicts stay cached');
    fromCluster = [cluster];
    assert.deepEqual(union().map((c) => c.subject), ['CN=own', 'CN=cluster']);
  });
});
