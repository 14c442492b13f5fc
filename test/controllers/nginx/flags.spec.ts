/** The --nginx-controller* flags: taken out of the command line, and whether the controller runs. */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRunOptions } from '../../../src/index';
import { findNginx, nginxControllerOptions, takeNginxControllerFlags } from '../../../src/controllers/nginx/flags';

describe('controllers/nginx: flags', () => {
  it("takes the controller's flags in both spellings and leaves the server's flags for parseRunOptions", () => {
    const { flags, rest } = takeNginxControllerFlags([
      '--secure-port',
      '0',
      '--nginx-controller-binary=/opt/nginx/sbin/nginx',
      '--nginx-controller-config-dir',
      '/srv/nginx/conf.d',
      '--nginx-controller-reload-command',
      'systemctl reload nginx',
      '--data-dir=/tmp/x',
    ]);
    assert.deepEqual(flags, { enabled: true, binary: '/opt/nginx/sbin/nginx', configDir: '/srv/nginx/conf.d', reloadCommand: 'systemctl reload nginx' });
    assert.deepEqual(rest, ['--secure-port', '0', '--data-dir=/tmp/x']);
    assert.equal(parseRunOptions(rest).securePort, 0);
  });

  it('switches the controller off with --nginx-controller=false and refuses other values', () => {
    assert.equal(takeNginxControllerFlags(['--nginx-controller=false']).flags.enabled, false);
    assert.equal(takeNginxControllerFlags(['--nginx-controller']).flags.enabled, true);
    assert.throws(() => takeNginxControllerFlags(['--nginx-controller=maybe']), /true or false/);
    assert.throws(() => takeNginxControllerFlags(['--nginx-controller-prefix']), /needs an argument/);
  });

  it('stays off, saying why, when switched off or when the binary is not there', () => {
    assert.deepEqual(nginxControllerOptions({ enabled: false }), { off: '--nginx-controller=false' });
    assert.deepEqual(nginxControllerOptions({ enabled: true, binary: '/nonexistent/nginx' }), {
      off: '--nginx-controller-binary /nonexistent/nginx is not an executable file',
    });
  });

  it('finds nginx on PATH first and defaults the config dir to /etc/nginx/conf.d', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-nginx-'));
    try {
      const fake = path.join(dir, 'nginx');
      writeFileSync(fake, '#!/bin/sh\n');
      chmodSync(fake, 0o755);
      assert.equal(findNginx(dir), fake);
      assert.deepEqual(nginxControllerOptions({ enabled: true, binary: fake, listenAddress: '127.0.0.1' }), {
        options: { binary: fake, prefix: undefined, conf: undefined, configDir: '/etc/nginx/conf.d', reloadCommand: undefined, listenAddress: '127.0.0.1' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
