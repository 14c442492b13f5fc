import assert from 'node:assert/strict';
import { parseAuthenticationConfigMap } from '../../../src/framework/auth/authentication-configmap';
import { createCertificate } from '../../../src/framework/server/pki/create-certificate';

describe('auth: the core cluster\'s extension-apiserver-authentication ConfigMap', () => {
  let clientCA: string;
  let frontProxyCA: string;

  before(async () => {
    clientCA = (await createCertificate({ usage: 'ca', commonName: 'client-ca', validDays: 1 })).certPem;
    frontProxyCA = (await createCertificate({ usage: 'ca', commonName: 'front-proxy-ca', validDays: 1 })).certPem;
  });

  it('reads the client CA and the request-header settings as kube-apiserver writes them', () => {
    const settings = parseAuthenticationConfigMap({
      'client-ca-file': clientCA,
      'requestheader-client-ca-file': frontProxyCA,
      'requestheader-allowed-names': '["front-proxy-client","aggregator"]',
      'requestheader-username-headers': '["X-Remote-User"]',
      'requestheader-group-headers': '["X-Remote-Group"]',
      'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
      'requestheader-uid-headers': '["X-Remote-Uid"]',
    });
    assert.deepEqual(settings, {
      clientCAPem: clientCA,
      requestHeader: {
        clientCAPem: frontProxyCA,
        allowedNames: ['front-proxy-client', 'aggregator'],
        usernameHeaders: ['X-Remote-User'],
        groupHeaders: ['X-Remote-Group'],
        extraHeaderPrefixes: ['X-Remote-Extra-'],
        uidHeaders: ['X-Remote-Uid'],
      },
    });
  });

  it('reads missing and empty lists as empty, as kube does', () => {
    const settings = parseAuthenticationConfigMap({ 'requestheader-client-ca-file': frontProxyCA, 'requestheader-allowed-names': '' });
    assert.equal(settings.clientCAPem, undefined);
    assert.deepEqual(settings.requestHeader?.allowedNames, []);
    assert.deepEqual(settings.requestHeader?.usernameHeaders, []);
  });

  it('trusts no front proxy without a requestheader-client-ca-file, nor anything without data', () => {
    assert.deepEqual(parseAuthenticationConfigMap({ 'client-ca-file': clientCA, 'requestheader-allowed-names': '["x"]' }), { clientCAPem: clientCA, requestHeader: undefined });
    assert.deepEqual(parseAuthenticationConfigMap(undefined), { clientCAPem: undefined, requestHeader: undefined });
  });

  it('refuses malformed values, naming the key', () => {
    assert.throws(() => parseAuthenticationConfigMap({ 'requestheader-client-ca-file': frontProxyCA, 'requestheader-allowed-names': 'front-proxy-client' }), /requestheader-allowed-names: not a JSON array/);
    assert.throws(() => parseAuthenticationConfigMap({ 'requestheader-client-ca-file': frontProxyCA, 'requestheader-group-headers': '[1]' }), /requestheader-group-headers: not a JSON array of strings/);
    assert.throws(() => parseAuthenticationConfigMap({ 'requestheader-client-ca-file': 'not a certificate' }), /requestheader-client-ca-file: no PEM certificate found/);
  });
});
