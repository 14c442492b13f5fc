/**
 * ConfigMaps served by a server that adds them to its core group, driven by the
 * real kubectl: every verb, watch, Table output, immutability and the namespace
 * rules of the core group.
 */
import assert from 'node:assert/strict';
import { configMapGroup } from '../../../src/framework/core/configmap';
import { startTestServer, type TestServer } from '../../e2e/server-harness';
import { eventually, kubectl, runKubectl, startKubectl } from '../../support/kubectl';

describe('ConfigMaps in the core group, with kubectl', function () {
  this.timeout(60_000);
  let server: TestServer;
  const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: server.kubeconfig, input });

  before(async () => {
    server = await startTestServer('sqlite', (builder) => builder.withGroup(configMapGroup()));
  });
  after(async () => {
    await server?.stop();
  });

  it('is discovered beside namespaces, with its short name', async () => {
    const resources = await k(['api-resources', '--api-group', '']);
    assert.match(resources, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
    assert.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  });

  it('creates, gets, lists as a Table, patches, replaces and deletes, with a watch seeing each change', async () => {
    const watch = startKubectl(['get', 'configmaps', '-n', 'default', '-w', '--output-watch-events', '-o', 'custom-columns=EVENT:.type,NAME:.object.metadata.name,MODE:.object.data.mode'], {
      kubeconfig: server.kubeconfig,
    });
    try {
      await k(['create', 'configmap', 'settings', '-n', 'default', '--from-literal=mode=fast', '--from-literal=level=3']);
      const binary = Buffer.from([0, 1, 2, 255]).toString('base64');
      assert.equal(await k(['get', 'cm', 'settings', '-n', 'default', '-o', 'jsonpath={.data.mode}/{.data.level}']), 'fast/3');
      assert.match(await k(['get', 'configmaps', '-n', 'default']), /^NAME\s+DATA\s+AGE\nsettings\s+2\s+\d+s\n$/);
      await k(['patch', 'cm', 'settings', '-n', 'default', '-p', JSON.stringify({ data: { mode: 'slow' }, binaryData: { blob: binary } })]);
      assert.equal(await k(['get', 'cm', 'settings', '-n', 'default', '-o', 'jsonpath={.data.mode} {.binaryData.blob}']), `slow ${binary}`);
      const current = JSON.parse(await k(['get', 'cm', 'settings', '-n', 'default', '-o', 'json'])) as { data: Record<string, string> };
      current.data.mode = 'paused';
      await k(['replace', '-f', '-'], JSON.stringify(current));
      await k(['delete', 'cm', 'settings', '-n', 'default']);
      assert.equal(await k(['get', 'cm', '-n', 'default', '-o', 'name']), '');
      await eventually(() => {
        const events = watch.output().trim().split('\n').slice(1).map((line) => line.split(/\s+/).join(' '));
        assert.deepEqual(events, ['ADDED settings fast', 'MODIFIED settings slow', 'MODIFIED settings paused', 'DELETED settings paused']);
      });
    } finally {
      watch.stop();
    }
  });

  it('refuses a change to the data of an immutable ConfigMap, keeping its labels changeable', async () => {
    await k(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frozen', namespace: 'default' }, immutable: true, data: { a: '1' } }));
    await k(['label', 'cm', 'frozen', '-n', 'default', 'tier=gold']);
    const refused = await runKubectl(['patch', 'cm', 'frozen', '-n', 'default', '-p', '{"data":{"a":"2"}}'], { kubeconfig: server.kubeconfig });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set/);
    assert.equal(await k(['get', 'cm', 'frozen', '-n', 'default', '-o', 'jsonpath={.data.a} {.metadata.labels.tier}']), '1 gold');
  });

  it('refuses invalid keys with field errors', async () => {
    // kubectl create configmap checks keys itself; a manifest reaches the server.
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: 'default' }, data: { '..data': 'x' } };
    const refused = await runKubectl(['create', '-f', '-'], { kubeconfig: server.kubeconfig, input: JSON.stringify(manifest) });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /ConfigMap "bad" is invalid: data: Invalid value: "\.\.data": must not start with '\.\.'/);
  });

  it('lives in an existing namespace only, and goes with the namespace', async () => {
    const missing = await runKubectl(['create', 'configmap', 'x', '-n', 'nowhere'], { kubeconfig: server.kubeconfig });
    assert.match(missing.stderr, /namespaces "nowhere" not found/);
    await k(['create', 'namespace', 'team']);
    await k(['create', 'configmap', 'x', '-n', 'team', '--from-literal=a=b']);
    await k(['delete', 'namespace', 'team', '--wait=false']);
    await eventually(async () => assert.match((await runKubectl(['get', 'namespace', 'team'], { kubeconfig: server.kubeconfig })).stderr, /not found/), 20_000, 200);
    await k(['create', 'namespace', 'team']);
    assert.equal(await k(['get', 'cm', '-n', 'team', '-o', 'name']), '');
  });
});
