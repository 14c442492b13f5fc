import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadClientConfig } from '../../../../src/framework/client/client-config';
import { RESTClient } from '../../../../src/framework/client/rest-client';
import { aggregatedOptions } from '../../../../src/framework/server/delegation/aggregated-options';
import { parseRunOptions } from '../../../../src/framework/server/options';
import { createCertificate } from '../../../../src/framework/server/pki/create-certificate';

const silent = pino({ level: 'silent' });

describe('server/delegation: --aggregated inside a cluster', () => {
  let dir: string;
  let serviceAccountDir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'in-cluster-'));
    serviceAccountDir = path.join(dir, 'serviceaccount');
    mkdirSync(serviceAccountDir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reaches the core cluster as the pod\'s service account, reading its rotated token for every request', async () => {
    const ca = await createCertificate({ usage: 'ca', commonName: 'cluster-ca', validDays: 1 });
    const serving = await createCertificate({ usage: 'server', commonName: 'kubernetes', hosts: ['127.0.0.1'], validDays: 1 }, ca);
    const seen: string[] = [];
    const server = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client: { rest?: RESTClient } = {};
    try {
      writeFileSync(path.join(serviceAccountDir, 'ca.crt'), ca.certPem);
      writeFileSync(path.join(serviceAccountDir, 'token'), 'first-token\n');
      const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String((server.address() as AddressInfo).port) };
      const options = aggregatedOptions(parseRunOptions(['--aggregated', '--data-dir', path.join(dir, 'data')]), silent, { env, serviceAccountDir });
      assert.equal(options.authenticationKubeconfig, path.join(dir, 'data', 'in-cluster.kubeconfig'));
      assert.equal(options.authorizationKubeconfig, options.authenticationKubeconfig);

      client.rest = new RESTClient(loadClientConfig(options.authenticationKubeconfig as string));
      await client.rest.request('/api');
      writeFileSync(path.join(serviceAccountDir, 'token'), 'second-token\n');
      await client.rest.request('/api');
      assert.deepEqual(seen, ['Bearer first-token', 'Bearer second-token']);
    } finally {
      client.rest?.close();
      server.close();
    }
  });

  it('leaves the options as given outside a cluster, with kubeconfigs given, or without --aggregated', () => {
    writeFileSync(path.join(serviceAccountDir, 'token'), 't');
    const inCluster = { env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDir };
    const outside = aggregatedOptions(parseRunOptions(['--aggregated', '--data-dir', dir]), silent, { env: {}, serviceAccountDir });
    assert.equal(outside.authenticationKubeconfig, undefined);
    const given = aggregatedOptions(parseRunOptions(['--aggregated', '--data-dir', dir, '--authorization-kubeconfig', '/etc/core.kubeconfig']), silent, inCluster);
    assert.deepEqual([given.authenticationKubeconfig, given.authorizationKubeconfig], [undefined, '/etc/core.kubeconfig']);
    const standalone = aggregatedOptions(parseRunOptions(['--data-dir', dir]), silent, inCluster);
    assert.equal(standalone.authenticationKubeconfig, undefined);
  });
});
