/**
 * FederatedTypeConfigs on the host: a configuration makes its Federated<Kind>
 * served (with kubectl, discovery and the template checked against the target),
 * deleting it stops serving the kind while its objects stay for a new one, and
 * of two configurations asking for one kind the first keeps it.
 */
import assert from 'node:assert/strict';
import { federationGroup } from '../../../src/apis/federation/group';
import { eventually, kubectl, runKubectl } from '../../support/kubectl';
import { startTestServer, type TestServer } from '../../e2e/server-harness';

function typeConfig(name: string, group: string): string {
  return `apiVersion: federation.example.com/v1alpha1
kind: FederatedTypeConfig
metadata:
  name: ${name}
spec:
  targetType: {group: ${group}, version: v1, kind: Widget, plural: widgets, scope: Namespaced}
`;
}

const WIDGET = `apiVersion: types.federation.example.com/v1alpha1
kind: FederatedWidget
metadata:
  name: w
spec:
  template:
    spec: {size: 3}
  placement:
    clusters: [{name: east}]
`;

describe('registry: FederatedTypeConfig serves Federated<Kind>', function () {
  this.timeout(60_000);
  let host: TestServer;
  const k = (...args: string[]) => kubectl(args, { kubeconfig: host.kubeconfig });
  const apply = (input: string) => kubectl(['apply', '-f', '-'], { kubeconfig: host.kubeconfig, input });
  const established = (name: string) =>
    k('get', 'ftc', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status} {.status.conditions[?(@.type=="Established")].reason}');

  before(async () => {
    host = await startTestServer('sqlite', (builder) => builder.withGroup(federationGroup({ controller: false })));
  });
  after(async () => {
    await host?.stop();
  });

  it('refuses a configuration not named for its target', async () => {
    const result = await runKubectl(['apply', '-f', '-'], { kubeconfig: host.kubeconfig, input: typeConfig('widgets', 'widgets.example.com') });
    assert.match(result.stderr, /metadata\.name: Invalid value: "widgets": must be widgets\.widgets\.example\.com/);
  });

  it('serves the federated kind once established, checking templates against the target', async () => {
    await apply(typeConfig('widgets.widgets.example.com', 'widgets.example.com'));
    await k('wait', '--for=condition=Established', 'ftc/widgets.widgets.example.com', '--timeout=10s');
    assert.equal(await k('get', 'ftc', 'widgets.widgets.example.com', '-o', 'jsonpath={.status.federatedType.plural}'), 'federatedwidgets');
    await apply(WIDGET);
    assert.equal(await k('get', 'federatedwidget', 'w', '-o', 'jsonpath={.spec.template.spec.size}'), '3');
    const wrongKind = await runKubectl(['apply', '-f', '-'], { kubeconfig: host.kubeconfig, input: WIDGET.replace('spec: {size: 3}', 'kind: Gadget') });
    assert.match(wrongKind.stderr, /spec\.template\.kind: Invalid value: "Gadget": must be Widget or left out/);
  });

  it('keeps a second configuration for the same kind waiting until the first goes', async () => {
    await apply(typeConfig('widgets.other.example.com', 'other.example.com'));
    await eventually(async () => assert.equal(await established('widgets.other.example.com'), 'False KindConflict'));
    await k('delete', 'ftc', 'widgets.widgets.example.com');
    await eventually(async () => assert.equal(await established('widgets.other.example.com'), 'True Served'));
  });

  it('stops serving a kind whose configuration is deleted, and serves its objects again with a new one', async () => {
    await k('delete', 'ftc', 'widgets.other.example.com');
    await eventually(async () => {
      const result = await runKubectl(['get', 'federatedwidgets'], { kubeconfig: host.kubeconfig });
      assert.match(result.stderr, /the server doesn't have a resource type "federatedwidgets"/);
    });
    await apply(typeConfig('widgets.widgets.example.com', 'widgets.example.com'));
    await k('wait', '--for=condition=Established', 'ftc/widgets.widgets.example.com', '--timeout=10s');
    assert.equal(await k('get', 'federatedwidget', 'w', '-o', 'jsonpath={.spec.template.spec.size}'), '3');
  });
});
