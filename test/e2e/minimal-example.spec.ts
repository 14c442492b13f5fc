/**
 * examples/minimal (seed 004): `number` exists only in the versioned TestObj, so
 * it is accepted on the wire and dropped on the way to storage.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMinimalServer } from '../../examples/minimal/server';
import type { RunningServer } from '../../src/index';
import { kubectl } from '../support/kubectl';

describe('e2e: examples/minimal (seed 004 TestObj)', function () {
  this.timeout(60_000);
  let running: RunningServer;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'minimal-example-'));
    running = await startMinimalServer(['--secure-port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
  });
  after(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves testobjs and does not persist the versioned-only number field', async () => {
    const kubeconfig = running.kubeconfigPath as string;
    const manifest = JSON.stringify({ apiVersion: 'testing.example.com/v1alpha1', kind: 'TestObj', metadata: { name: 'seven' }, number: 7 });
    const created = JSON.parse(await kubectl(['create', '-f', '-', '-o', 'json'], { kubeconfig, input: manifest }));
    assert.equal(created.metadata.name, 'seven');
    assert.equal(created.number, undefined, 'the response is the stored object, which has no number');
    const read = JSON.parse(await kubectl(['get', 'testobj', 'seven', '-o', 'json'], { kubeconfig }));
    assert.equal(read.kind, 'TestObj');
    assert.equal(read.number, undefined);
    assert.match(await kubectl(['api-resources', '--api-group=testing.example.com'], { kubeconfig }), /testobjs\s+testing\.example\.com\/v1alpha1\s+true\s+TestObj/);
  });
});
