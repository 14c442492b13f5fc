/**
 * Tables as kubectl prints them for the kinds kube-apiserver has its own printers
 * for, computed from each object: ConfigMaps count their keys, APIServices name
 * their service and why they are unavailable, roles and CustomResourceDefinitions
 * show when they were created, bindings their role and (with -o wide) their subjects. Each expectation is the
 * table kubectl prints against kube-apiserver for the same objects.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreClusterGroups } from '../../src/framework/aggregator';
import { eventually, kubectl } from '../support/kubectl';
import { startTestServer, type TestServer } from './server-harness';

const NAMESPACE = 'tables';

/**
 * A table's cells, row by row (kubectl puts at least three spaces between columns);
 * an AGE cell becomes `<age>`, as it depends on when the test runs.
 */
function cellsOf(table: string): string[][] {
  const [header, ...rows] = table.trim().split('\n').map((line) => line.trim().split(/\s{3,}/));
  const age = header.indexOf('AGE');
  return [header, ...rows.map((cells) => cells.map((cell, i) => (i === age && /^\d+s$/.test(cell) ? '<age>' : cell)))];
}

describe('e2e: tables of ConfigMaps, APIServices, RBAC objects and CustomResourceDefinitions', function () {
  this.timeout(60_000);
  let workDir: string;
  let core: TestServer;
  const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: core.kubeconfig, input });
  const assertTable = async (args: string[], expected: string) => assert.deepEqual(cellsOf(await k(args)), cellsOf(expected));

  before(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'tables-'));
    const certDir = path.join(workDir, 'pki');
    core = await startTestServer('sqlite', (b) => {
      for (const group of coreClusterGroups({ certDir })) b.withGroup(group);
    }, ['--cert-dir', certDir, '--authorization-mode', 'RBAC']);
    await k(['create', 'namespace', NAMESPACE]);
  });

  after(async () => {
    await core?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('ConfigMaps: DATA counts the keys of data and binaryData together', async () => {
    await k(['create', 'configmap', 'settings', '-n', NAMESPACE, '--from-literal=mode=fast', '--from-literal=level=3']);
    await k(['create', 'configmap', 'empty', '-n', NAMESPACE]);
    const mixed = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mixed', namespace: NAMESPACE }, data: { a: '1', b: '2' }, binaryData: { blob: 'AAEC' } };
    await k(['create', '-f', '-'], JSON.stringify(mixed));
    await assertTable(['get', 'configmaps', '-n', NAMESPACE], `
      NAME       DATA   AGE
      empty      0      <age>
      mixed      3      <age>
      settings   2      <age>
    `);
  });

  it('APIServices: SERVICE is Local or <namespace>/<name>, AVAILABLE gives the reason it is not', async () => {
    const apiService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.e2e.example.com' },
      spec: { group: 'e2e.example.com', version: 'v1', service: { namespace: 'e2e-system', name: 'api' }, groupPriorityMinimum: 1000, versionPriority: 15 },
    };
    await k(['create', '-f', '-'], JSON.stringify(apiService));
    // Nothing answers for the service, so the availability check fails discovery.
    await eventually(() =>
      assertTable(['get', 'apiservices', 'v1.', 'v1.apiregistration.k8s.io', 'v1.e2e.example.com'], `
        NAME                        SERVICE          AVAILABLE                      AGE
        v1.                         Local            True                           <age>
        v1.apiregistration.k8s.io   Local            True                           <age>
        v1.e2e.example.com          e2e-system/api   False (FailedDiscoveryCheck)   <age>
      `),
    );
  });

  it('Roles and ClusterRoles: CREATED AT, the creation time itself, in place of AGE', async () => {
    await k(['create', 'role', 'reader', '-n', NAMESPACE, '--verb=get', '--resource=configmaps']);
    const createdAt = async (args: string[]) => k([...args, '-o', 'jsonpath={.metadata.creationTimestamp}']);
    await assertTable(['get', 'roles', '-n', NAMESPACE], `
      NAME     CREATED AT
      reader   ${await createdAt(['get', 'role', 'reader', '-n', NAMESPACE])}
    `);
    await assertTable(['get', 'clusterrole', 'cluster-admin'], `
      NAME            CREATED AT
      cluster-admin   ${await createdAt(['get', 'clusterrole', 'cluster-admin'])}
    `);
  });

  it('CustomResourceDefinitions: CREATED AT, as kube-apiserver\'s default table', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.tables.example.com' },
      spec: {
        group: 'tables.example.com',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    };
    await k(['create', '-f', '-'], JSON.stringify(crd));
    await assertTable(['get', 'crd', 'gadgets.tables.example.com'], `
      NAME                         CREATED AT
      gadgets.tables.example.com   ${await k(['get', 'crd', 'gadgets.tables.example.com', '-o', 'jsonpath={.metadata.creationTimestamp}'])}
    `);
  });

  it('RoleBindings and ClusterRoleBindings: ROLE as <kind>/<name>, and the subjects by kind with -o wide', async () => {
    await k(['create', 'rolebinding', 'readers', '-n', NAMESPACE, '--role=reader', '--user=alice', '--user=bob', '--group=devs', '--serviceaccount=tables:robot']);
    await k(['create', 'clusterrolebinding', 'viewers', '--clusterrole=view-all', '--user=carol', '--group=auditors', '--serviceaccount=kube-system:scanner']);
    await assertTable(['get', 'rolebindings', '-n', NAMESPACE], `
      NAME      ROLE          AGE
      readers   Role/reader   <age>
    `);
    await assertTable(['get', 'rolebindings', '-n', NAMESPACE, '-o', 'wide'], `
      NAME      ROLE          AGE     USERS        GROUPS   SERVICEACCOUNTS
      readers   Role/reader   <age>   alice, bob   devs     tables/robot
    `);
    await assertTable(['get', 'clusterrolebinding', 'viewers', '-o', 'wide'], `
      NAME      ROLE                   AGE     USERS   GROUPS     SERVICEACCOUNTS
      viewers   ClusterRole/view-all   <age>   carol   auditors   kube-system/scanner
    `);
  });

  it('Namespaces: STATUS is the phase', async () => {
    await assertTable(['get', 'namespace', NAMESPACE], `
      NAME     STATUS   AGE
      tables   Active   <age>
    `);
  });
});
