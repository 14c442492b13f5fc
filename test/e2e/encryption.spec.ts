/**
 * Encryption at rest (--encryption-provider-config), proven by reading the
 * SQLite file and etcd directly: values are ciphertext under kube's
 * `k8s:enc:<provider>:v1:<key>:` prefix, the API still serves them in the
 * clear, data written before encryption stays readable, and keys rotate by
 * rewriting every object (`kubectl get -o json | kubectl replace -f -`).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { Etcd3 } from 'etcd3';
import { APIServerBuilder, parseRunOptions, type RunningServer } from '../../src/index';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { kubectl, runKubectl } from '../support/kubectl';
import { Widget, WidgetV1 } from './widgets.fixture';

const SECRET = 's3cr3t-value-that-must-not-be-stored-in-the-clear';
const keys = { key1: randomBytes(32).toString('base64'), key2: randomBytes(32).toString('base64'), box1: randomBytes(32).toString('base64'), other: randomBytes(32).toString('base64') };

function configuration(widgetProviders: string): string {
  return `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: ["widgets.e2e.example.com"]
  providers:
${widgetProviders}
- resources: ["namespaces"]
  providers:
  - secretbox:
      keys: [{name: box1, secret: "${keys.box1}"}]
  - identity: {}
`;
}

const AESCBC_KEY1 = `  - aescbc:\n      keys: [{name: key1, secret: "${keys.key1}"}]`;
const AESGCM_KEY2 = `  - aesgcm:\n      keys: [{name: key2, secret: "${keys.key2}"}]`;
const IDENTITY = '  - identity: {}';

function widget(name: string): string {
  return JSON.stringify({ apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name, annotations: { token: SECRET } }, spec: { size: 1 } });
}

describe('e2e: encryption at rest', function () {
  this.timeout(90_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'encryption-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('on SQLite', () => {
    const dataDir = () => path.join(dir, 'sqlite-data');
    let running: RunningServer | undefined;

    async function serve(config?: string): Promise<RunningServer> {
      await running?.stop();
      const flags = ['--secure-port', '0', '--data-dir', dataDir()];
      if (config) {
        const file = path.join(dir, `encryption-${Date.now()}.yaml`);
        writeFileSync(file, config);
        flags.push('--encryption-provider-config', file);
      }
      // Silent: the last test makes the server log the decryption failures it answers with 500.
      running = await new APIServerBuilder().withResource([Widget, WidgetV1]).run(parseRunOptions(flags), pino({ level: 'silent' }));
      return running;
    }

    /** The latest stored value of an object, straight from the database file. */
    function rawValue(keySuffix: string): string {
      const db = new Database(path.join(dataDir(), 'state.db'), { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare('SELECT value FROM log WHERE name LIKE ? ORDER BY id DESC LIMIT 1').get(`%${keySuffix}`) as { value: string } | undefined;
        assert.ok(row, `nothing stored under ${keySuffix}`);
        return row.value;
      } finally {
        db.close();
      }
    }

    after(async () => {
      await running?.stop();
    });

    it('stores encrypted resources as ciphertext and serves them in the clear', async () => {
      const plain = await serve();
      await kubectl(['create', '-n', 'default', '-f', '-'], { kubeconfig: plain.kubeconfigPath!, input: widget('before') });
      assert.ok(rawValue('/widgets/default/before').includes(SECRET), 'without encryption the value is plain');

      const server = await serve(configuration([AESCBC_KEY1, IDENTITY].join('\n')));
      const kubeconfig = server.kubeconfigPath!;
      await kubectl(['create', '-n', 'default', '-f', '-'], { kubeconfig, input: widget('secret-1') });
      await kubectl(['create', 'namespace', 'team'], { kubeconfig });
      const stored = rawValue('/widgets/default/secret-1');
      assert.match(stored, /"encryptedData":"k8s:enc:aescbc:v1:key1:/);
      assert.ok(!stored.includes(SECRET) && !stored.includes('"annotations"'), stored);
      assert.match(rawValue('/namespaces/team'), /"encryptedData":"k8s:enc:secretbox:v1:box1:/);

      const served = JSON.parse(await kubectl(['get', 'widget', 'secret-1', '-n', 'default', '-o', 'json'], { kubeconfig }));
      assert.equal(served.metadata.annotations.token, SECRET);
      // Written before encryption: still readable through the identity provider.
      const before = JSON.parse(await kubectl(['get', 'widget', 'before', '-n', 'default', '-o', 'json'], { kubeconfig }));
      assert.equal(before.metadata.annotations.token, SECRET);
      assert.match(await kubectl(['get', 'namespace', 'team'], { kubeconfig }), /team\s+Active/);
    });

    it('rotates keys: a new first key reads the old ones, and rewriting every object moves it to the new key', async () => {
      const server = await serve(configuration([AESGCM_KEY2, AESCBC_KEY1, IDENTITY].join('\n')));
      const kubeconfig = server.kubeconfigPath!;
      const all = await kubectl(['get', 'widgets', '-n', 'default', '-o', 'json'], { kubeconfig });
      await kubectl(['replace', '-f', '-'], { kubeconfig, input: all });
      for (const name of ['before', 'secret-1']) {
        const stored = rawValue(`/widgets/default/${name}`);
        assert.match(stored, /"encryptedData":"k8s:enc:aesgcm:v1:key2:/, name);
        assert.ok(!stored.includes(SECRET));
      }
      // The old key and the identity provider can go now.
      const rotated = await serve(configuration(AESGCM_KEY2));
      const names = await kubectl(['get', 'widgets', '-n', 'default', '-o', 'jsonpath={.items[*].metadata.annotations.token}'], { kubeconfig: rotated.kubeconfigPath! });
      assert.equal(names, `${SECRET} ${SECRET}`);
    });

    it('refuses to serve what no configured key can open', async () => {
      const server = await serve(configuration(`  - aesgcm:\n      keys: [{name: key2, secret: "${keys.other}"}]`));
      const result = await runKubectl(['get', 'widget', 'secret-1', '-n', 'default'], { kubeconfig: server.kubeconfigPath! });
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /InternalError|Internal error/);
    });
  });

  describe('on etcd', () => {
    let etcd: EtcdProcess;
    let running: RunningServer;

    before(async () => {
      etcd = await startEtcd();
      const file = path.join(dir, 'etcd-encryption.yaml');
      writeFileSync(file, configuration([AESCBC_KEY1, IDENTITY].join('\n')));
      const flags = ['--secure-port', '0', '--data-dir', path.join(dir, 'etcd-data'), '--log-level', 'error', '--etcd-servers', etcd.endpoint, '--etcd-prefix', '/enc', '--encryption-provider-config', file];
      running = await new APIServerBuilder().withResource([Widget, WidgetV1]).run(parseRunOptions(flags));
    });
    after(async () => {
      await running?.stop();
      await etcd?.stop();
    });

    it('stores ciphertext in etcd, as etcdctl would show it', async () => {
      await kubectl(['create', '-n', 'default', '-f', '-'], { kubeconfig: running.kubeconfigPath!, input: widget('in-etcd') });
      const client = new Etcd3({ hosts: etcd.endpoint });
      try {
        const values = await client.getAll().prefix('/enc/').strings();
        const key = Object.keys(values).find((k) => k.endsWith('/widgets/default/in-etcd'));
        assert.ok(key, Object.keys(values).join(', '));
        assert.match(values[key], /"encryptedData":"k8s:enc:aescbc:v1:key1:/);
        assert.ok(!values[key].includes(SECRET));
      } finally {
        client.close();
      }
      const served = JSON.parse(await kubectl(['get', 'widget', 'in-etcd', '-n', 'default', '-o', 'json'], { kubeconfig: running.kubeconfigPath! }));
      assert.equal(served.metadata.annotations.token, SECRET);
    });
  });
});
