/**
 * CustomResourceDefinitions with the real kubectl: CRDs shaped like kubeflow's
 * TFJob and cert-manager's Certificate are applied to a running server and served
 * at once; their objects are created, listed, watched, patched, scaled and
 * validated; a webhook converts between two versions; deleting a CRD deletes its
 * objects and takes the resource out of discovery.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, kubectl, runKubectl, startKubectl } from '../support/kubectl';
import { startConversionWebhook, UNCONVERTIBLE_SECRET, type ConversionWebhook } from './crd-conversion-webhook';
import { certificate, certificateCRD, TFJOB_CRD, tfJob, yaml } from './crd-fixtures';
import { startTestServer, type TestServer } from './server-harness';

describe('e2e: CustomResourceDefinitions with kubectl', function () {
  this.timeout(60_000);
  let server: TestServer;
  let webhook: ConversionWebhook;
  let certDir: string;
  const k = (...args: string[]) => kubectl(args, { kubeconfig: server.kubeconfig });
  const apply = (...docs: unknown[]) => kubectl(['apply', '-f', '-'], { kubeconfig: server.kubeconfig, input: yaml(...docs) });
  const attempt = (args: string[], input?: string) => runKubectl(args, { kubeconfig: server.kubeconfig, input });

  before(async () => {
    certDir = mkdtempSync(path.join(os.tmpdir(), 'crd-webhook-'));
    webhook = await startConversionWebhook(certDir);
    server = await startTestServer('sqlite', () => undefined);
    await apply(TFJOB_CRD, certificateCRD(webhook));
    await k('wait', '--for=condition=Established', '--timeout=20s', 'crd/tfjobs.kubeflow.org', 'crd/certificates.certs.example.io');
  });
  after(async () => {
    await server?.stop();
    await webhook?.stop();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  it('accepts the names and establishes the CRDs, as kube-apiserver reports it', async () => {
    const crd = JSON.parse(await k('get', 'crd', 'tfjobs.kubeflow.org', '-o', 'json'));
    const conditions = Object.fromEntries(crd.status.conditions.map((c: { type: string }) => [c.type, c]));
    assert.deepEqual(
      { status: conditions.NamesAccepted.status, reason: conditions.NamesAccepted.reason, message: conditions.NamesAccepted.message },
      { status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
    );
    assert.deepEqual(
      { status: conditions.Established.status, reason: conditions.Established.reason, message: conditions.Established.message },
      { status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    );
    assert.deepEqual(crd.status.acceptedNames, { plural: 'tfjobs', singular: 'tfjob', shortNames: ['tfj'], kind: 'TFJob', listKind: 'TFJobList', categories: ['all', 'kubeflow'] });
    assert.deepEqual(crd.status.storedVersions, ['v1']);
    assert.deepEqual(crd.spec.conversion, { strategy: 'None' });
  });

  it('lists the custom resources in api-resources and their groups in api-versions', async () => {
    const resources = await k('api-resources');
    assert.match(resources, /^tfjobs\s+tfj\s+kubeflow\.org\/v1\s+true\s+TFJob$/m);
    assert.match(resources, /^certificates\s+cert,certs\s+certs\.example\.io\/v1\s+true\s+Certificate$/m);
    assert.match(resources, /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m);
    const versions = await k('api-versions');
    for (const gv of ['kubeflow.org/v1', 'certs.example.io/v1', 'certs.example.io/v1alpha2', 'apiextensions.k8s.io/v1']) assert.match(versions, new RegExp(`^${gv.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('creates a TFJob with defaults applied, its pod templates kept and unknown fields dropped with a warning', async () => {
    const job = tfJob('dist-mnist');
    (job.spec as Record<string, unknown>).gpusPerWorker = 2;
    const result = await attempt(['apply', '--validate=warn', '-f', '-'], yaml(job));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Warning: unknown field "spec\.gpusPerWorker"/);
    const stored = JSON.parse(await k('get', 'tfjob', 'dist-mnist', '-o', 'json'));
    assert.deepEqual(stored.spec.runPolicy, { cleanPodPolicy: 'Running' });
    assert.equal(stored.spec.gpusPerWorker, undefined);
    assert.equal(stored.spec.tfReplicaSpecs.Worker.restartPolicy, 'Never');
    assert.equal(stored.spec.tfReplicaSpecs.Chief.restartPolicy, 'OnFailure');
    assert.deepEqual(stored.spec.tfReplicaSpecs.Worker.template, (tfJob('x').spec as { tfReplicaSpecs: { Worker: { template: unknown } } }).tfReplicaSpecs.Worker.template);
  });

  it('prints its columns, finds it by short name and category, and refuses a strategic merge patch as kube-apiserver does', async () => {
    assert.match(await k('get', 'tfj'), /^NAME\s+WORKERS\s+STATE\s+AGE\ndist-mnist\s+2\s+\d+s$/m);
    assert.match(await k('get', 'kubeflow'), /^dist-mnist\s+2\s/m);
    const smp = await attempt(['patch', 'tfjob', 'dist-mnist', '--type=strategic', '-p', '{"spec":{"successPolicy":"AllWorkers"}}']);
    assert.notEqual(smp.code, 0);
    assert.match(smp.stderr, /application\/strategic-merge-patch\+json is not supported by kubeflow\.org\/v1, Kind=TFJob/);
  });

  it('watches TFJobs and sees a merge patch and a status update', async () => {
    const watch = startKubectl(['get', 'tfjobs', '-w', '--output-watch-events'], { kubeconfig: server.kubeconfig });
    try {
      await eventually(() => assert.match(watch.output(), /ADDED\s+dist-mnist/));
      await k('patch', 'tfjob', 'dist-mnist', '--type=merge', '-p', '{"spec":{"tfReplicaSpecs":{"Worker":{"replicas":3}}}}');
      await eventually(() => assert.match(watch.output(), /MODIFIED\s+dist-mnist\s+3\s+\d+s/));
      const status = { status: { conditions: [{ type: 'Running', status: 'True', reason: 'JobRunning' }], replicaStatuses: { Worker: { active: 3 } } } };
      await k('patch', 'tfjob', 'dist-mnist', '--subresource=status', '--type=merge', '-p', JSON.stringify(status));
      await eventually(() => assert.match(watch.output(), /MODIFIED\s+dist-mnist\s+3\s+Running/));
    } finally {
      watch.stop();
    }
    const job = JSON.parse(await k('get', 'tfjob', 'dist-mnist', '-o', 'json'));
    assert.equal(job.metadata.generation, 2, 'a status update does not bump the generation');
  });

  it('scales the workers through the scale subresource', async () => {
    assert.match(await k('scale', 'tfjob', 'dist-mnist', '--replicas=5'), /tfjob\.kubeflow\.org\/dist-mnist scaled/);
    const job = JSON.parse(await k('get', 'tfjob', 'dist-mnist', '-o', 'json'));
    assert.equal(job.spec.tfReplicaSpecs.Worker.replicas, 5);
    const scale = JSON.parse(await k('get', '--raw', '/apis/kubeflow.org/v1/namespaces/default/tfjobs/dist-mnist/scale'));
    assert.deepEqual({ spec: scale.spec, status: scale.status }, { spec: { replicas: 5 }, status: { replicas: 3 } });
  });

  it('refuses an invalid Certificate with its field errors and nothing is stored', async () => {
    const bad = certificate('bad', { secretName: 'Not_A_Name', issuerRef: { name: 'ca', kind: 'Vault' }, dnsNames: ['example.com', 'example.com'], renewBefore: true });
    const result = await attempt(['apply', '-f', '-'], yaml(bad));
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /The Certificate "bad" is invalid/);
    assert.match(result.stderr, /spec\.secretName: Invalid value: "Not_A_Name": should match '\^\[a-z0-9\]/);
    assert.match(result.stderr, /spec\.issuerRef\.kind: Unsupported value: "Vault": supported values: "Issuer", "ClusterIssuer"/);
    assert.match(result.stderr, /spec\.renewBefore: Invalid value: true: must be an integer or a string/);
    assert.match(result.stderr, /spec\.dnsNames\[1\]: Duplicate value: "example\.com"/);
    assert.equal((await attempt(['get', 'certificate', 'bad'])).code, 1);
  });

  it('refuses unknown fields, as kubectl validates strictly by default', async () => {
    const result = await attempt(['apply', '-f', '-'], yaml(certificate('strict', { secretName: 'strict-tls', issuerRef: { name: 'ca' }, colour: 'blue' })));
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /unknown field "spec\.colour"/);
  });

  it('converts between versions through the webhook, and warns about the deprecated one', async () => {
    const created = await attempt(['apply', '-f', '-'], yaml(certificate('web', { secretName: 'web-tls', issuerRef: { name: 'ca' }, hosts: ['example.com', 'www.example.com'], renewBefore: '360h' }, 'v1alpha2')));
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /Warning: certs\.example\.io\/v1alpha2 Certificate is deprecated/);
    const v1 = JSON.parse(await k('get', 'certificates.v1.certs.example.io', 'web', '-o', 'json'));
    assert.equal(v1.apiVersion, 'certs.example.io/v1');
    assert.deepEqual(v1.spec.dnsNames, ['example.com', 'www.example.com']);
    assert.equal(v1.spec.hosts, undefined);
    assert.deepEqual(v1.spec.issuerRef, { name: 'ca', kind: 'Issuer' });
    const listed = await attempt(['get', 'certificates.v1alpha2.certs.example.io', '-o', 'json']);
    assert.match(listed.stderr, /Warning: certs\.example\.io\/v1alpha2 Certificate is deprecated/);
    const items = JSON.parse(listed.stdout).items as { apiVersion: string; metadata: { name: string }; spec: { hosts?: string[] } }[];
    assert.deepEqual(items.map((i) => [i.apiVersion, i.metadata.name, i.spec.hosts]), [['certs.example.io/v1alpha2', 'web', ['example.com', 'www.example.com']]]);
  });

  it("answers 500 with the webhook's reason when conversion fails", async () => {
    await apply(certificate('odd', { secretName: UNCONVERTIBLE_SECRET, issuerRef: { name: 'ca' } }));
    const result = await attempt(['get', 'certificates.v1alpha2.certs.example.io', 'odd']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /conversion webhook for certs\.example\.io, Kind=Certificate failed: conversion failed: .*secret unconvertible cannot be expressed in v1alpha2/);
    assert.equal((await attempt(['get', 'certificates.v1.certs.example.io', 'odd'])).code, 0, 'the storage version needs no conversion');
  });

  it('merges server-side applies of two managers by the schema\'s list types, and reports a conflict', async () => {
    const applyAs = (manager: string, spec: Record<string, unknown>, ...flags: string[]) =>
      attempt(['apply', '--server-side', `--field-manager=${manager}`, ...flags, '-f', '-'], yaml(certificate('shared', { secretName: 'shared-tls', issuerRef: { name: 'ca' }, ...spec })));
    assert.equal((await applyAs('team-a', { dnsNames: ['a.example.com'] })).code, 0);
    assert.equal((await applyAs('team-b', { dnsNames: ['b.example.com'] })).code, 0);
    const merged = JSON.parse(await k('get', 'certificate', 'shared', '-o', 'json'));
    assert.deepEqual(merged.spec.dnsNames, ['a.example.com', 'b.example.com'], 'a set merges the items of both managers');
    const conflict = await applyAs('team-b', { dnsNames: ['b.example.com'], duration: '2160h', secretName: 'other-tls' });
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /conflict with "team-a"[\s\S]*\.spec\.secretName/);
  });

  it('explains a custom resource from its published schema', async () => {
    const explained = await k('explain', 'tfjobs.spec.runPolicy');
    assert.match(explained, /GROUP:\s+kubeflow\.org/);
    assert.match(explained, /cleanPodPolicy\s+<string>/);
    assert.match(explained, /backoffLimit\s+<integer>/);
  });

  it('deletes a CRD with objects present: the objects go first, then the CRD and its resource', async () => {
    await apply(tfJob('second'));
    assert.match(await k('delete', 'crd', 'tfjobs.kubeflow.org', '--timeout=30s'), /customresourcedefinition\.apiextensions\.k8s\.io "tfjobs\.kubeflow\.org" deleted/);
    assert.equal((await attempt(['get', 'crd', 'tfjobs.kubeflow.org'])).code, 1);
    const gone = await attempt(['get', 'tfjobs']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /the server doesn't have a resource type "tfjobs"/);
    assert.doesNotMatch(await k('api-versions'), /^kubeflow\.org\/v1$/m);
    const raw = await attempt(['get', '--raw', '/apis/kubeflow.org/v1/namespaces/default/tfjobs']);
    assert.match(raw.stderr, /NotFound|not found/);
  });

  it('serves a CRD created again at once, without the objects of the deleted one', async () => {
    await apply(TFJOB_CRD);
    await k('wait', '--for=condition=Established', '--timeout=20s', 'crd/tfjobs.kubeflow.org');
    assert.match(await attempt(['get', 'tfjobs']).then((r) => r.stderr + r.stdout), /No resources found in default namespace/);
  });
});
