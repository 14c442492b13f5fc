/**
 * The programmer with the real `nginx -t` on a private prefix; the reload is a
 * shell command that counts reloads (or fails), so no nginx needs to run here.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigDirectory } from '../../../src/controllers/nginx/config-directory';
import { ConfigProgrammer, type DesiredConfig } from '../../../src/controllers/nginx/config-programmer';
import { NginxCommands } from '../../../src/controllers/nginx/nginx-commands';
import { makeNginxPrefix, NGINX, type NginxPrefix } from './nginx-process';

const upstreamFile = (block: string, server: string) => `upstream ${block} { server ${server}; }\n`;
const serverFile = (port: number, body: string) => `server { listen 127.0.0.1:${port}; ${body} }\n`;

/** One upstream `default/web` and one server proxying to it when nginx has it (502 otherwise). */
function desired(upstreamServer: string | null, serverBody = 'location / { PROXY; }'): DesiredConfig {
  return {
    upstreams: [{ key: 'default/web', file: 'ups_default_web.conf', content: upstreamServer === null ? null : upstreamFile('default_web', upstreamServer) }],
    renderVirtualServers: (available) =>
      new Map([['vs_default_site.conf', serverFile(18999, serverBody.replace('PROXY', available.has('default/web') ? 'proxy_pass http://default_web' : 'return 502'))]]),
  };
}

describe('controllers/nginx: ConfigProgrammer with nginx -t', function () {
  this.timeout(20_000);
  let prefix: NginxPrefix;
  let reloads: string;
  let programmer: ConfigProgrammer;

  const fileOnDisk = (name: string) => {
    const file = path.join(prefix.configDir, name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  const reloadCount = () => (existsSync(reloads) ? readFileSync(reloads, 'utf8').length : 0);
  const open = (reloadCommand = `printf x >> ${reloads}`) =>
    ConfigProgrammer.open(new ConfigDirectory(prefix.configDir), new NginxCommands({ binary: NGINX, prefix: prefix.prefix, conf: prefix.conf, reloadCommand }));

  beforeEach(async () => {
    prefix = makeNginxPrefix();
    reloads = path.join(prefix.prefix, 'reloads');
    programmer = await open();
  });
  afterEach(() => prefix.remove());

  it('writes an accepted configuration and reloads once; the same configuration again is no reload', async () => {
    const outcome = await programmer.program(desired('127.0.0.1:9001'));
    assert.deepEqual(outcome.rejected, new Map());
    assert.equal(outcome.reloadError, undefined);
    assert.equal(outcome.reloaded, true);
    assert.deepEqual([...outcome.loaded.keys()].sort(), ['ups_default_web.conf', 'vs_default_site.conf']);
    assert.deepEqual(outcome.available, new Set(['default/web']));
    assert.match(fileOnDisk('vs_default_site.conf') ?? '', /proxy_pass http:\/\/default_web/);
    assert.equal(reloadCount(), 1);

    assert.equal((await programmer.program(desired('127.0.0.1:9001'))).reloaded, false);
    assert.equal(reloadCount(), 1);
  });

  it("keeps an object's last good file when nginx rejects its change, and still applies the others", async () => {
    await programmer.program(desired('127.0.0.1:9001'));
    const good = fileOnDisk('vs_default_site.conf');
    const outcome = await programmer.program(desired('127.0.0.1:9002', 'location ~ "^/broken(" { return 200; } location / { PROXY; }'));
    assert.deepEqual([...outcome.rejected.keys()], ['vs_default_site.conf']);
    assert.match(outcome.rejected.get('vs_default_site.conf') ?? '', /^pcre2?_compile\(\) failed: missing closing parenthesis in "\^\/broken\(" in .*vs_default_site\.conf:1$/);
    assert.equal(fileOnDisk('vs_default_site.conf'), good, 'the rejected server keeps its last good file');
    assert.match(fileOnDisk('ups_default_web.conf') ?? '', /127\.0\.0\.1:9002/, 'the upstream change went through');
    assert.equal(outcome.loaded.get('ups_default_web.conf'), fileOnDisk('ups_default_web.conf'));
    assert.equal(reloadCount(), 2);
  });

  it('renders servers without an upstream nginx refused, so they answer 502 instead of breaking', async () => {
    const outcome = await programmer.program(desired('no-such-host.invalid:80'));
    assert.match(outcome.rejected.get('ups_default_web.conf') ?? '', /host not found in upstream "no-such-host\.invalid:80"/);
    assert.deepEqual(outcome.available, new Set());
    assert.match(fileOnDisk('vs_default_site.conf') ?? '', /return 502/);
    assert.equal(fileOnDisk('ups_default_web.conf'), undefined);
  });

  it('removes the file of an upstream that has no servers left, after the servers stop using it', async () => {
    await programmer.program(desired('127.0.0.1:9001'));
    const outcome = await programmer.program(desired(null));
    assert.deepEqual(outcome.rejected, new Map());
    assert.equal(fileOnDisk('ups_default_web.conf'), undefined);
    assert.match(fileOnDisk('vs_default_site.conf') ?? '', /return 502/);
  });

  it('reports a failed reload and tries it again on the next call', async () => {
    programmer = await open(`echo "nginx: [error] open() \\"/run/nginx.pid\\" failed (2: No such file or directory)" >&2; exit 1`);
    const outcome = await programmer.program(desired('127.0.0.1:9001'));
    assert.equal(outcome.reloadError, 'open() "/run/nginx.pid" failed (2: No such file or directory)');
    assert.equal(outcome.loaded.size, 0);
    assert.equal(outcome.reloaded, false);
    const again = await programmer.program(desired('127.0.0.1:9001'));
    assert.equal(again.reloadError, outcome.reloadError, 'the reload was tried again');
  });

  it('starts from the files already there and never touches files that are not its own', async () => {
    writeFileSync(path.join(prefix.configDir, 'ups_default_web.conf'), upstreamFile('default_web', '127.0.0.1:9001'));
    writeFileSync(path.join(prefix.configDir, 'operator.conf'), '# not the controller\'s\n');
    programmer = await open();
    await programmer.program({ upstreams: [], renderVirtualServers: () => new Map() });
    assert.equal(fileOnDisk('ups_default_web.conf'), undefined, 'its own stale file is removed');
    assert.equal(fileOnDisk('operator.conf'), "# not the controller's\n");
    assert.equal(reloadCount(), 1);
  });
});
