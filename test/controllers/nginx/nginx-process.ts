/**
 * A real nginx for tests, unprivileged: its own prefix in a temporary folder, a
 * main configuration that includes the controller's directory, temporary files
 * and the pid inside the prefix, loopback ports only. nginx and the small HTTP
 * backends run in their own process groups and are killed by stop(), also after
 * a failed test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../../support/kubectl';

export const NGINX = '/usr/sbin/nginx';

export interface NginxPrefix {
  prefix: string;
  /** The main configuration file (`-c`). */
  conf: string;
  /** The directory the main configuration includes; the controller's. */
  configDir: string;
  remove(): void;
}

export function makeNginxPrefix(): NginxPrefix {
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'nginx-test-'));
  const configDir = path.join(prefix, 'conf.d');
  mkdirSync(configDir);
  mkdirSync(path.join(prefix, 'logs'));
  const temp = (name: string) => `${name}_temp_path ${path.join(prefix, `${name}_temp`)};`;
  const conf = path.join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    [
      'worker_processes 1;',
      `pid ${path.join(prefix, 'nginx.pid')};`,
      'error_log stderr;',
      'events { worker_connections 128; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${temp(name)}`),
      `  include ${configDir}/*.conf;`,
      '}',
      '',
    ].join('\n'),
  );
  return { prefix, conf, configDir, remove: () => rmSync(prefix, { recursive: true, force: true }) };
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // already gone
  }
}

export interface RunningProcess {
  /** Kills the process group. */
  stop(): void;
}

/** Starts nginx in the foreground on the prefix; resolves once its pid file exists. */
export async function startNginx(prefix: NginxPrefix): Promise<RunningProcess> {
  const child = spawn(NGINX, ['-p', prefix.prefix, '-c', prefix.conf, '-g', 'daemon off;'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const handle = { stop: () => killGroup(child) };
  try {
    await eventually(() => {
      if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}: ${output}`);
      if (!existsSync(path.join(prefix.prefix, 'nginx.pid'))) throw new Error('nginx has not written its pid yet');
    }, 5_000, 20);
  } catch (err) {
    handle.stop();
    throw err;
  }
  return handle;
}

const BACKEND_SCRIPT = `
const name = process.argv[1];
const server = require('http').createServer((req, res) => res.end(name));
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** An HTTP server on a free loopback port that answers every request with its name. */
export function startBackend(name: string): Promise<RunningProcess & { port: number }> {
  const child = spawn(process.execPath, ['-e', BACKEND_SCRIPT, name], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const port = Number(output.split('\n')[0]);
      if (output.includes('\n') && port > 0) resolve({ port, stop: () => killGroup(child) });
    });
    child.on('exit', (code) => reject(new Error(`backend ${name} exited ${code}`)));
  });
}

/** A port that was free a moment ago (for nginx's listen, which cannot pick one itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Response {
  status: number;
  body: string;
}

/** One GET on a fresh connection (so every request is balanced anew). */
export function get(port: number, urlPath = '/', host = 'localhost'): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('request timed out')));
  });
}
