/**
 * CustomResourceDefinitions on etcd shared by two servers: a CRD applied through
 * one is served by a second one started later (before its start resolves), both
 * see each other's objects and watch events, and deleting the CRD through one
 * takes the resource away from both.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APIServerBuilder, parseRunOptions, type RunningServer } from '../../src/index';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { eventually, kubectl, runKubectl, startKubectl } from '../support/kubectl';
import { TFJOB_CRD, tfJob, yaml } from './crd-fixtures';

describe('e2e: CustomResourceDefinitions on etcd shared by two servers', function () {
  this.timeout(60_000);
  let etcd: EtcdProcess;
  const dataDirs: string[] = [];
  const servers: RunningServer[] = [];

  async function startServer(): Promise<{ kubeconfig: string }> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'crd-etcd-'));
    dataDirs.push(dataDir);
    const flags = ['--secure-port', '0', '--data-dir', dataDir, '--log-level', 'warn', '--etcd-servers', etcd.endpoint, '--etcd-prefix', '/crd-e2e'];
    const running = await new APIServerBuilder().run(parseRunOptions(flags));
    servers.push(running);
    return { kubeconfig: running.kubeconfigPath as string };
  }

  let first: { kubeconfig: string };
  let second: { kubeconfig: string };

  before(async () => {
    etcd = await startEtcd();
    first = await startServer();
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await etcd?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('serves a CRD stored before the server started, as soon as it serves', async () => {
    await kubectl(['apply', '-f', '-'], { kubeconfig: first.kubeconfig, input: yaml(TFJOB_CRD) });
    await kubectl(['wait', '--for=condition=Established', '--timeout=20s', 'crd/tfjobs.kubeflow.org'], first);
    await kubectl(['apply', '-f', '-'], { kubeconfig: first.kubeconfig, input: yaml(tfJob('from-first')) });
    second = await startServer();
    assert.match(await kubectl(['get', 'tfjobs'], second), /^from-first\s+2\s+\d+s$/m);
  });

  it('shows each server the other one\'s writes, in watches too', async () => {
    const watch = startKubectl(['get', 'tfjobs', '-w', '--output-watch-events'], first);
    try {
      await eventually(() => assert.match(watch.output(), /ADDED\s+from-first/));
      await kubectl(['apply', '-f', '-'], { kubeconfig: second.kubeconfig, input: yaml(tfJob('from-second', 4)) });
      await eventually(() => assert.match(watch.output(), /ADDED\s+from-second\s+4/));
    } finally {
      watch.stop();
    }
  });

  it('takes the resource away from both servers when the CRD is deleted through one', async () => {
    await kubectl(['delete', 'crd', 'tfjobs.kubeflow.org', '--timeout=30s'], second);
    for (const server of [first, second]) {
      await eventually(async () => {
        const result = await runKubectl(['get', '--raw', '/apis/kubeflow.org/v1/namespaces/default/tfjobs'], server);
        assert.notEqual(result.code, 0);
      });
    }
    const crds = await runKubectl(['get', 'crds'], first);
    assert.match(crds.stderr, /^No resources found/m);
  });
});
