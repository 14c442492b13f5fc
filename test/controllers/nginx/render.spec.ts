/**
 * Rendering: upstream and server blocks from the objects, every user value
 * quoted so it cannot change the configuration's structure — checked by the
 * real nginx parsing it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Upstream, VirtualServer } from '../../../src/apis/nginx/types';
import { quote } from '../../../src/controllers/nginx/nginx-syntax';
import { renderUpstream } from '../../../src/controllers/nginx/render-upstream';
import { renderVirtualServer } from '../../../src/controllers/nginx/render-virtual-server';
import { decodeToHub, nginxScheme, upstreamManifest, virtualServerManifest } from '../../apis/nginx/fixtures';
import { makeNginxPrefix, NGINX } from './nginx-process';

const scheme = nginxScheme();
const vs = (spec: Record<string, unknown>) => decodeToHub<VirtualServer>(scheme, virtualServerManifest(spec));
const lines = (text: string) => text.split('\n').map((l) => l.trim());

describe('controllers/nginx: rendering', () => {
  it('quotes values so that nginx reads back exactly the value', () => {
    assert.equal(quote('plain'), '"plain"');
    assert.equal(quote('a"b\\c\nd\te'), '"a\\"b\\\\c\\nd\\te"');
  });

  it('renders an upstream: method, server parameters (weight 1 is the default), IPv6 in brackets, keepalive', () => {
    const ups = decodeToHub<Upstream>(
      scheme,
      upstreamManifest({
        servers: [
          { address: '10.0.0.1', port: 80, weight: 3, maxFails: 2, failTimeout: '5s' },
          { address: '2001:db8::1', port: 8080, down: true },
          { address: 'backup.example.com', port: 80, backup: true },
        ],
        loadBalancing: { method: 'least_conn' },
        keepalive: 4,
      }),
    );
    const text = renderUpstream({ name: 'default_web', servers: ups.spec?.servers ?? [], loadBalancing: ups.spec?.loadBalancing, keepalive: ups.spec?.keepalive }, 'Upstream default/web');
    assert.deepEqual(lines(text).slice(1), [
      'upstream default_web {',
      'least_conn;',
      'server "10.0.0.1:80" weight=3 max_fails=2 fail_timeout=5s;',
      'server "[2001:db8::1]:8080" down;',
      'server "backup.example.com:80" backup;',
      'keepalive 4;',
      '}',
      '',
    ]);
    const hashed = renderUpstream({ name: 'u', servers: [{ address: '10.0.0.1', port: 80 }], loadBalancing: { method: 'hash', key: '$request_uri', consistent: true } }, 'x');
    assert.match(hashed, /^ {2}hash "\$request_uri" consistent;$/m);
  });

  it('renders a server: listen with TLS, host names, match kinds, proxy headers overriding the defaults, timeouts, rewrites, returns and redirects', () => {
    const rendered = renderVirtualServer(
      vs({
        serverNames: ['shop.example.com', '*.shop.example.com'],
        port: 8443,
        tls: { certificate: '/etc/tls/shop.crt', key: '/etc/tls/shop.key' },
        locations: [
          {
            path: '/api',
            upstream: 'web',
            proxyHeaders: [{ name: 'host', value: 'api.internal' }],
            timeouts: { connect: '1s', read: '20s' },
            rewrites: [{ pattern: '^/api/(.*)$', replacement: '/$1', flag: 'break' }],
          },
          { path: '/healthz', match: 'exact', return: { code: 200, body: 'ok' } },
          { path: '\\.php$', match: 'regex', redirect: { url: 'https://$host/' } },
        ],
      }),
      { listenAddress: '127.0.0.1', upstreamBlock: (name) => `default_${name}` },
      'VirtualServer default/site',
    );
    assert.deepEqual(rendered.unresolved, []);
    const text = lines(rendered.text);
    for (const expected of [
      'listen 127.0.0.1:8443 ssl;',
      'server_name "shop.example.com" "*.shop.example.com";',
      'ssl_certificate "/etc/tls/shop.crt";',
      'ssl_certificate_key "/etc/tls/shop.key";',
      'location "/api" {',
      'rewrite "^/api/(.*)$" "/$1" break;',
      'proxy_set_header "host" "api.internal";',
      'proxy_set_header "X-Real-IP" "$remote_addr";',
      'proxy_connect_timeout 1s;',
      'proxy_read_timeout 20s;',
      'proxy_pass "http://default_web";',
      'location = "/healthz" {',
      'return 200 "ok";',
      'location ~ "\\\\.php$" {',
      'return 302 "https://$host/";',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}\n${rendered.text}`);
    }
    assert.ok(!text.some((l) => l.startsWith('proxy_set_header "Host"')), 'a header the location sets replaces the default of that name');
  });

  it('a server without host names is the catch-all of its port; a location without an upstream nginx has answers 502', () => {
    const rendered = renderVirtualServer(vs({ locations: [{ path: '/', upstream: 'missing' }] }), { upstreamBlock: () => undefined }, 'x');
    assert.deepEqual(rendered.unresolved, ['missing']);
    assert.ok(lines(rendered.text).includes('listen 80 default_server;'));
    assert.ok(lines(rendered.text).includes('server_name _;'));
    assert.ok(lines(rendered.text).includes('return 502;'));
  });

  it('nginx accepts what it renders, and hostile values stay inside their strings', () => {
    const prefix = makeNginxPrefix();
    try {
      const hostile = vs({
        port: 18998,
        locations: [
          { path: '/a"; } server { listen 1; #', return: { code: 200, body: '"; return 500; #\n{' } },
          { path: '/b', upstream: 'web', proxyHeaders: [{ name: 'X-Test', value: 'v"; proxy_pass http://evil; #' }] },
        ],
      });
      const rendered = renderVirtualServer(hostile, { listenAddress: '127.0.0.1', upstreamBlock: () => 'default_web' }, 'x');
      writeFileSync(path.join(prefix.configDir, 'ups_default_web.conf'), 'upstream default_web { server 127.0.0.1:9; }\n');
      writeFileSync(path.join(prefix.configDir, 'vs_default_site.conf'), rendered.text);
      execFileSync(NGINX, ['-p', prefix.prefix, '-c', prefix.conf, '-t', '-q'], { stdio: 'pipe' });
      assert.equal(rendered.text.match(/^\s*return /gm)?.length, 1, 'no directive was injected');
      assert.equal(rendered.text.match(/^\s*proxy_pass /gm)?.length, 1);
    } finally {
      prefix.remove();
    }
  });
});
