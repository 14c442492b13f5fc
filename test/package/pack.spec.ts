/**
 * The package is embeddable: `npm pack`, install the tarball into a scratch
 * project outside the repository, build a tiny server there against the public
 * API only, run it and ask it what kubectl asks first.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually, kubectl } from '../support/kubectl';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');

const TINY_SERVER = `
import { APIServerBuilder, Field, Hub, KubeObject, parseRunOptions, Resource } from 'apiserver-kit';

class GadgetSpec {
  @Field(() => String, { enum: ['small', 'large'] })
  size?: string;
}

@Hub({ group: 'tiny.example.com', kind: 'Gadget' })
class Gadget extends KubeObject {
  @Field(() => GadgetSpec)
  spec?: GadgetSpec;
}

@Resource({ group: 'tiny.example.com', version: 'v1', kind: 'Gadget', plural: 'gadgets', scope: 'Namespaced' })
class GadgetV1 extends Gadget {}

new APIServerBuilder()
  .withResource([Gadget, GadgetV1])
  .run(parseRunOptions(process.argv.slice(2)))
  .then((running) => console.log('READY ' + running.kubeconfigPath));
`;

describe('package: npm pack, install and build against the public API', function () {
  this.timeout(600_000);
  let scratch: string;
  let server: ChildProcess | undefined;

  before(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-consumer-'));
  });
  after(() => {
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('installs from the tarball, compiles a tiny server with tsc and serves kubectl', async () => {
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: REPO, maxBuffer: 16 << 20 });
    const tarball = path.join(scratch, stdout.trim().split('\n').pop() as string);
    writeFileSync(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, dependencies: { 'apiserver-kit': `file:${tarball}` }, allowScripts: { 'better-sqlite3': true } }),
    );
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: scratch, maxBuffer: 16 << 20 });

    // The installed package carries its declarations and nothing of the repository's tests.
    const manifest = JSON.parse(readFileSync(path.join(scratch, 'node_modules/apiserver-kit/package.json'), 'utf8'));
    assert.equal(manifest.types, 'dist/index.d.ts');

    writeFileSync(path.join(scratch, 'server.ts'), TINY_SERVER);
    writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          typeRoots: [path.join(REPO, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['server.ts'],
      }),
    );
    await run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', scratch], { cwd: scratch });

    const dataDir = path.join(scratch, 'data');
    server = spawn(process.execPath, ['server.js', '--secure-port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { cwd: scratch, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await eventually(() => assert.match(output, /READY /), 60_000, 200);
    const kubeconfig = /READY (\S+)/.exec(output)?.[1] as string;
    assert.match(await kubectl(['api-resources', '--api-group=tiny.example.com'], { kubeconfig }), /gadgets\s+tiny\.example\.com\/v1\s+true\s+Gadget/);
    await kubectl(['create', '-f', '-'], { kubeconfig, input: JSON.stringify({ apiVersion: 'tiny.example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { size: 'small' } }) });
    assert.equal(JSON.parse(await kubectl(['get', 'gadget', 'g', '-o', 'json'], { kubeconfig })).spec.size, 'small');
  });
});
